-- Latest picture known on K (bekend_op; NULL = everything loaded): per pgn
-- the levering_id whose picture counts. The default comes from beeld_alles;
-- DuckDB drops the branch whose condition is false for the given constant.
create or replace macro beeld(bekend_op := NULL) as table
select pgn, levering_id from beeld_alles where bekend_op is null
union all
select pgn, levering_id from beeld_berekend(bekend_op := bekend_op) where bekend_op is not null;
