-- The recomputed persons' resultaat rows: their stored rows (of every picture)
-- with the added deliveries' (nieuw_resultaat), sorted again into the latest and
-- the earlier pictures by the full build's macro.
create or replace temp table herberekening_resultaat as
select * exclude (persoon_nr, bekend_vanaf, bekend_tot) from beeld_resultaat_alles
where persoon_nr in (select persoon_nr from herberekening)
union all by name
select * exclude (persoon_nr, bekend_vanaf, bekend_tot) from beeld_resultaat_eerder
where persoon_nr in (select persoon_nr from herberekening)
union all by name
select * from nieuw_resultaat;

delete from beeld_resultaat_alles where persoon_nr in (select persoon_nr from herberekening);
delete from beeld_resultaat_eerder where persoon_nr in (select persoon_nr from herberekening);
insert into beeld_resultaat_alles by name from beeld_rijen('herberekening_resultaat', alleen_herberekening := true);
insert into beeld_resultaat_eerder by name from beeld_rijen('herberekening_resultaat', eerder := true, alleen_herberekening := true);

drop table herberekening_resultaat;
