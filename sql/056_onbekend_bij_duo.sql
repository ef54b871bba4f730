-- The numbers an A-levering known on bekend_op answered with "not known"
-- (NGV, reden ONB): DUO holds no education for them.
--
-- Stored, as levering_volgorde is: read from the lake view at each figure,
-- `niet_gevonden` opened every delivery's file — on ten years of weekly
-- deliveries 0.4–1.5 s of `absoluut_verzuim_signalen`, even without a BRP
-- extract to compare. The incremental refresh (sql/bijwerken/) takes out
-- the purged deliveries' rows and adds the added deliveries'.
create or replace macro onbekend_bij_duo_van(bron) as table
select levering_id, gevraagd_nummer as nummer, peildatum
from query_table(bron)
where reden = 'ONB';

create or replace table onbekend_bij_duo_nummers as from onbekend_bij_duo_van('niet_gevonden');

create or replace macro onbekend_bij_duo(bekend_op := NULL) as table
select distinct nummer
from onbekend_bij_duo_nummers
where peildatum <= coalesce(cast(bekend_op as date), date '9999-12-31');
