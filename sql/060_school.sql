-- The name and soort of each instelling known to the loaded reference data:
-- from Basisgegevens instellingen (the current record, CODE_STAND_RECORD A)
-- where loaded, else from DUO's address files (the hoofdvestiging's name).
-- Join on instellingscode to show schools in inschrijvingen and figures.
create or replace view school as
select instellingscode, arg_min(naam, bron) as naam, arg_min(soort, bron) as soort
from (
    select instellingscode, naam, naam_soort as soort, 1 as bron from instelling where code_stand_record = 'A'
    union all
    select instellingscode, naam, null as soort, 2 as bron from vestiging
    where vestigingscode is null or vestigingscode = instellingscode || '00'
    union all
    select instellingscode, naam, null as soort, 3 as bron from vestiging
)
group by instellingscode;
