-- The gemeente → Doorstroompunt-regio table valid on d (regions change with
-- gemeentelijke herindelingen; an empty geldig_vanaf or geldig_tot is open).
create or replace macro regio_op(d) as table
select gemeentecode, gemeentenaam, regiocode, regionaam
from regio_indeling
where actief_op(coalesce(geldig_vanaf, date '0001-01-01'), geldig_tot, d);
