create table analist.vrijstelling as
select p.pseudoniem, b.levering_id, b.artikel, b.datum_begin, b.datum_einde
from beeld_vrijstelling_alles b
join temp.pseudoniem p using (pgn);
