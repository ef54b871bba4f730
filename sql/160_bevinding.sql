-- Every data-quality finding: those found while reading the deliveries
-- (bevinding_levering), plus each inschrijving whose instellingscode the
-- loaded reference data does not know (ONBEKENDE_INSTELLING; only once
-- reference data is loaded, or every school would be unknown).
create or replace view bevinding as
select levering_id, regel, recordsoort, veld, code, melding, soort, afnemer, peildatum
from bevinding_levering
union all
select distinct
    i.levering_id, cast(null as bigint) as regel, 'INS' as recordsoort, 'instellingscode' as veld,
    'ONBEKENDE_INSTELLING' as code,
    'instellingscode ' || i.instellingscode || ' is not in the loaded reference data' as melding,
    i.soort, i.afnemer, i.peildatum
from inschrijving i
where exists (select 1 from school)
  and i.instellingscode not in (select instellingscode from school);
