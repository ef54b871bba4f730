-- The vsv_indicatie rows of each person's latest picture known on bekend_op.
create or replace macro beeld_vsv_indicatie(bekend_op := NULL) as table
select t.*
from vsv_indicatie t
join beeld(bekend_op := bekend_op) b on t.pgn = b.pgn and t.levering_id = b.levering_id;
