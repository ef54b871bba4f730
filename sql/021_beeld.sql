-- The rows of a stored pair of picture tables — `<naam>_alles`, the latest
-- pictures, and `<naam>_eerder`, the earlier ones, both with bekend_vanaf
-- and bekend_tot — that count as known on bekend_op (NULL: everything
-- loaded): the one place the stored pictures are filtered by
-- telt_als_bekend_op, for beeld, every beeld_<tabel> and tijdlijn. DuckDB
-- drops the branch whose condition is false for the given constant, so
-- without bekend_op only the latest pictures are read.
-- eerder: all rows of the earlier pictures instead (tijdlijn_eerder is
-- made from them).
create or replace macro bekende_beelden(naam, bekend_op := NULL, eerder := false) as table
select * from query_table(naam || '_alles')
where not eerder and telt_als_bekend_op(bekend_vanaf, bekend_tot, bekend_op)
union all
select * from query_table(naam || '_eerder')
where eerder or (bekend_op is not null and telt_als_bekend_op(bekend_vanaf, bekend_tot, bekend_op));

-- The picture known on K (bekend_op; NULL = everything loaded): per pgn the
-- levering_id whose picture counts, the person's persoon_nr and the days
-- that picture was the latest.
create or replace macro beeld(bekend_op := NULL) as table
from bekende_beelden('beeld', bekend_op := bekend_op);
