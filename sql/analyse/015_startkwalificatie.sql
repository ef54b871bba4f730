create table analist.startkwalificatie as
select p.pseudoniem, b.levering_id, b.indicatie, b.datum_behaald
from beeld_startkwalificatie_alles b
join temp.pseudoniem p using (pgn);
