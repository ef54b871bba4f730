create table analist.inschrijving as
select p.pseudoniem, b.levering_id, b.inschrijvingsvolgnummer, b.instellingscode, b.vestigingscode,
    b.onderwijssoort, b.opleidingscode, b.leerweg, b.niveau, b.leerjaar,
    b.datum_inschrijving, b.datum_uitschrijving, b.reden_uitschrijving, b.bekostigd
from beeld_inschrijving_alles b
join temp.pseudoniem p using (pgn);
