-- The rows of table `tabel` (for a full build `bouw_<tabel>`, the lake table
-- as the build reads it: the committed deliveries' files, copied once when
-- they are all small — crate::catalog; for the incremental refresh the
-- recomputed persons' rows) that belong to each person's latest picture —
-- or, with eerder, to each earlier one — with the person's persoon_nr and
-- the picture's bekend_vanaf and bekend_tot: what the stored tables
-- beeld_<tabel>_alles and beeld_<tabel>_eerder hold (022–028).
-- alleen_herberekening: only the persons of `herberekening`.
create or replace macro beeld_rijen(tabel, eerder := false, alleen_herberekening := false) as table
select b.persoon_nr, t.*, b.bekend_vanaf, b.bekend_tot
from query_table(tabel) t
join (
    select pgn, levering_id, persoon_nr, bekend_vanaf, bekend_tot from beeld_alles where not eerder
    union all
    select pgn, levering_id, persoon_nr, bekend_vanaf, bekend_tot from beeld_eerder where eerder
) b on t.pgn = b.pgn and t.levering_id = b.levering_id
where not alleen_herberekening or b.persoon_nr in (select persoon_nr from herberekening);

-- For the incremental refresh (sql/bijwerken/): the rows of lake table
-- `tabel` that the recomputed persons' pictures can be made of — their
-- stored rows of every picture (beeld_<tabel>_alles and _eerder) but the
-- purged deliveries' (`verwijderd`), and the added deliveries'
-- (`nieuw_<tabel>`, a temporary view over their files that exists only
-- while the refresh runs). beeld_rijen sorts them again.
create or replace macro herberekende_rijen(tabel) as table
select * exclude (persoon_nr, bekend_vanaf, bekend_tot) from query_table('beeld_' || tabel || '_alles')
where persoon_nr in (select persoon_nr from herberekening) and levering_id not in (select levering_id from verwijderd)
union all by name
select * exclude (persoon_nr, bekend_vanaf, bekend_tot) from query_table('beeld_' || tabel || '_eerder')
where persoon_nr in (select persoon_nr from herberekening) and levering_id not in (select levering_id from verwijderd)
union all by name
select * from query_table('nieuw_' || tabel);
