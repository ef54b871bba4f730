-- The recomputed persons' earlier pictures replace theirs (sorted by 018).
delete from beeld_eerder where persoon_nr in (select persoon_nr from herberekening);

insert into beeld_eerder
select n.pgn, n.levering_id, h.persoon_nr, n.bekend_vanaf, n.bekend_tot
from herberekend_beeld n
join herberekening h using (pgn)
where n.bekend_tot is not null;

drop table herberekend_beeld;
