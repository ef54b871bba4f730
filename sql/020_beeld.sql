-- Latest picture known on K (bekend_op; NULL = everything loaded): per pgn
-- the levering_id whose picture counts. The default comes from beeld_alles;
-- DuckDB drops the branch whose condition is false for the given constant.
create or replace macro beeld(bekend_op := NULL) as table
select pgn, levering_id, persoon_nr from beeld_alles where bekend_op is null
union all
select b.pgn, b.levering_id, a.persoon_nr
from beeld_berekend(bekend_op := bekend_op) b
join beeld_alles a using (pgn)
where bekend_op is not null;
