-- Each person's earlier pictures (those superseded by a later delivery that
-- holds the person), with the days each was the latest known: what a figure
-- with bekend_op reads besides beeld_alles. Every person here has a latest
-- picture, so persoon_nr comes from beeld_alles.
create or replace table beeld_eerder as
select v.pgn, v.levering_id, a.persoon_nr, v.bekend_vanaf, v.bekend_tot
from bouw_versies v
join beeld_alles a using (pgn)
where v.bekend_tot is not null
-- zone maps then skip the pictures superseded before K (as 022–028)
order by v.bekend_tot;

drop table bouw_versies;
