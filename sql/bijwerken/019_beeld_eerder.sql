-- The recomputed persons' earlier pictures replace theirs (sorted by 018).
delete from beeld_eerder where pgn in (select pgn from herberekening);

insert into beeld_eerder
select n.pgn, n.levering_id, a.persoon_nr, n.bekend_vanaf, n.bekend_tot
from herberekend_beeld n
join beeld_alles a using (pgn)
where n.bekend_tot is not null;

drop table herberekend_beeld;
