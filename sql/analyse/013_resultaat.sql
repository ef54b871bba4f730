create table analist.resultaat as
select p.pseudoniem, b.levering_id, b.instellingscode, b.onderwijssoort, b.opleidingscode, b.niveau,
    b.soort_resultaat, b.datum_resultaat, b.startkwalificatie
from beeld_resultaat_alles b
join temp.pseudoniem p using (pgn);
