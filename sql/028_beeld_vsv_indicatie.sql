-- The vsv_indicatie rows of each person's picture known on bekend_op (NULL:
-- everything loaded), with the picture's bekend_vanaf and bekend_tot.
--
-- Every picture is stored at each refresh — the latest in
-- beeld_vsv_indicatie_alles, earlier ones in beeld_vsv_indicatie_eerder — so a question
-- about earlier knowledge is a filter (bekende_beelden), not a
-- recomputation from the lake's files. The earlier pictures are stored in
-- order of bekend_tot, so that DuckDB's zone maps skip the row groups of
-- those superseded before K (a figure with bekend_op 1.9× → 1.2× on 5,120
-- deliveries).
create or replace table beeld_vsv_indicatie_alles as from beeld_rijen('bouw_vsv_indicatie');
create or replace table beeld_vsv_indicatie_eerder as from beeld_rijen('bouw_vsv_indicatie', eerder := true) order by bekend_tot;

create or replace macro beeld_vsv_indicatie(bekend_op := NULL, eerder := false) as table
from bekende_beelden('beeld_vsv_indicatie', bekend_op := bekend_op, eerder := eerder);
