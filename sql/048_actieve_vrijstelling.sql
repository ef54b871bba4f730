-- The VRS records of the picture active on d, each marked as a vrijstelling
-- (art. 5 onder a/b/c, 5a, 15) or vervangende leerplicht (art. 3a, 3b: not a
-- vrijstelling). Other artikel codes are neither.
create or replace macro actieve_vrijstelling(d, bekend_op := NULL) as table
select persoon_nr, pgn, artikel, datum_begin, datum_einde,
       is_vrijstelling(artikel) as is_vrijstelling,
       is_vervangende_leerplicht(artikel) as is_vervangende_leerplicht
from beeld_vrijstelling(bekend_op := bekend_op)
where actief_op(datum_begin, datum_einde, d);
