-- The numbers an A-levering known on bekend_op answered with "not known"
-- (NGV, reden ONB): DUO holds no education for them.
create or replace macro onbekend_bij_duo(bekend_op := NULL) as table
select distinct gevraagd_nummer as nummer
from niet_gevonden
where reden = 'ONB' and peildatum <= coalesce(cast(bekend_op as date), date '9999-12-31');
