-- The persoon rows of each person's picture known on bekend_op (NULL:
-- everything loaded), with the picture's bekend_vanaf and bekend_tot.
--
-- Every picture is stored at each refresh — the latest in
-- beeld_persoon_alles, earlier ones in beeld_persoon_eerder — so a question about
-- earlier knowledge is a filter (telt_als_bekend_op), not a recomputation
-- from the lake's files. eerder: all rows of the earlier pictures (what
-- tijdlijn_eerder is made from). The earlier pictures are stored in order of
-- bekend_tot, so that DuckDB's zone maps skip the row groups of those
-- superseded before K (a figure with bekend_op 1.9× → 1.2× on 5,120
-- deliveries).
create or replace table beeld_persoon_alles as from beeld_rijen('persoon');
create or replace table beeld_persoon_eerder as from beeld_rijen('persoon', eerder := true) order by bekend_tot;

create or replace macro beeld_persoon(bekend_op := NULL, eerder := false) as table
select * from beeld_persoon_alles
where not eerder and telt_als_bekend_op(bekend_vanaf, bekend_tot, bekend_op)
union all
select * from beeld_persoon_eerder
where eerder or (bekend_op is not null and telt_als_bekend_op(bekend_vanaf, bekend_tot, bekend_op));
