-- The persoon rows of each person's latest picture known on bekend_op.
create or replace macro beeld_persoon(bekend_op := NULL) as table
select t.*
from persoon t
join beeld(bekend_op := bekend_op) b on t.pgn = b.pgn and t.levering_id = b.levering_id;
