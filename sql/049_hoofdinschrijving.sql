-- Hoofdinschrijving on d: among the active inschrijvingen in a counted
-- onderwijssoort (VMBO, HAVO, VWO, MBO, VAVO) with bekostigd = J, the one with
-- the latest datum_inschrijving; on a tie the smallest inschrijvingsvolgnummer.
create or replace macro hoofdinschrijving(d, bekend_op := NULL) as table
select persoon_nr, pgn, instellingscode, onderwijssoort, leerjaar, niveau, datum_inschrijving, inschrijvingsvolgnummer,
       vsv_categorie(onderwijssoort, leerjaar, niveau) as categorie
from (
    select *, row_number() over (
        partition by persoon_nr order by datum_inschrijving desc, inschrijvingsvolgnummer
    ) as rang
    from actieve_inschrijving(d, bekend_op := bekend_op)
    where onderwijssoort in ('VMBO', 'HAVO', 'VWO', 'MBO', 'VAVO') and bekostigd
)
where rang = 1;
