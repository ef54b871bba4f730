-- The picture known on K (bekend_op; NULL = everything loaded): per pgn the
-- levering_id whose picture counts, the person's persoon_nr and the days
-- that picture was the latest. A filter on the stored pictures
-- (telt_als_bekend_op); DuckDB drops the branch whose condition is false
-- for the given constant, so without bekend_op only beeld_alles is read.
create or replace macro beeld(bekend_op := NULL) as table
select pgn, levering_id, persoon_nr, bekend_vanaf, bekend_tot from beeld_alles
where telt_als_bekend_op(bekend_vanaf, bekend_tot, bekend_op)
union all
select pgn, levering_id, persoon_nr, bekend_vanaf, bekend_tot from beeld_eerder
where bekend_op is not null and telt_als_bekend_op(bekend_vanaf, bekend_tot, bekend_op);
