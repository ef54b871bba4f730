-- Lives abroad on d: a VBL of the picture active on d with a landcode other than 6030.
create or replace macro woont_in_buitenland_op(d, bekend_op := NULL) as table
select persoon_nr, any_value(pgn) as pgn
from beeld_verblijf(bekend_op := bekend_op)
where landcode is not null and landcode <> '6030'
  and actief_op(datum_aanvang, datum_einde, d)
group by persoon_nr;
