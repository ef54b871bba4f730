-- The recomputed persons' persoon rows: their stored rows (of every picture)
-- with the added deliveries' (nieuw_persoon), sorted again into the latest and
-- the earlier pictures by the full build's macro.
create or replace temp table herberekening_persoon as
select * exclude (persoon_nr, bekend_vanaf, bekend_tot) from beeld_persoon_alles
where persoon_nr in (select persoon_nr from herberekening)
union all by name
select * exclude (persoon_nr, bekend_vanaf, bekend_tot) from beeld_persoon_eerder
where persoon_nr in (select persoon_nr from herberekening)
union all by name
select * from nieuw_persoon;

delete from beeld_persoon_alles where persoon_nr in (select persoon_nr from herberekening);
delete from beeld_persoon_eerder where persoon_nr in (select persoon_nr from herberekening);
insert into beeld_persoon_alles by name from beeld_rijen('herberekening_persoon', alleen_herberekening := true);
insert into beeld_persoon_eerder by name from beeld_rijen('herberekening_persoon', eerder := true, alleen_herberekening := true);

drop table herberekening_persoon;
