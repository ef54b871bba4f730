-- The rows of lake table `tabel` that belong to each person's picture with
-- everything loaded, with the person's persoon_nr: what the stored tables
-- beeld_<tabel>_alles hold (021–027). alleen_herberekening: only the persons
-- of `herberekening` (the incremental refresh, sql/bijwerken/).
create or replace macro beeld_rijen(tabel, alleen_herberekening := false) as table
select b.persoon_nr, t.*
from query_table(tabel) t
join beeld_alles b on t.pgn = b.pgn and t.levering_id = b.levering_id
where not alleen_herberekening or b.persoon_nr in (select persoon_nr from herberekening);
