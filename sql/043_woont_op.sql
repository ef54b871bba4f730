-- Woont in gemeente G op d: a residence period in G (verblijf_in_nederland)
-- active on d. Should two overlap, the most recent datum_aanvang counts.
create or replace macro woont_op(d, bekend_op := NULL) as table
select pgn, arg_max(gemeentecode, datum_aanvang) as gemeentecode
from verblijf_in_nederland(bekend_op := bekend_op)
where actief_op(datum_aanvang, datum_einde, d)
group by pgn;
