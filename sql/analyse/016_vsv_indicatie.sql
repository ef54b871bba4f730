create table analist.vsv_indicatie as
select p.pseudoniem, b.levering_id, b.teldatum, b.instellingscode, b.categorie
from beeld_vsv_indicatie_alles b
join temp.pseudoniem p using (pgn);
