-- The inschrijvingen of the picture active on d, of any onderwijssoort.
create or replace macro actieve_inschrijving(d, bekend_op := NULL) as table
select *
from beeld_inschrijving(bekend_op := bekend_op)
where actief_op(datum_inschrijving, datum_uitschrijving, d);
