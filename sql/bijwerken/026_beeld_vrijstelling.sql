-- The recomputed persons' vrijstelling rows: their stored rows (of every picture)
-- with the added deliveries' (nieuw_vrijstelling), sorted again into the latest and
-- the earlier pictures by the full build's macro.
create or replace temp table herberekening_vrijstelling as
select * exclude (persoon_nr, bekend_vanaf, bekend_tot) from beeld_vrijstelling_alles
where persoon_nr in (select persoon_nr from herberekening)
union all by name
select * exclude (persoon_nr, bekend_vanaf, bekend_tot) from beeld_vrijstelling_eerder
where persoon_nr in (select persoon_nr from herberekening)
union all by name
select * from nieuw_vrijstelling;

delete from beeld_vrijstelling_alles where persoon_nr in (select persoon_nr from herberekening);
delete from beeld_vrijstelling_eerder where persoon_nr in (select persoon_nr from herberekening);
insert into beeld_vrijstelling_alles by name from beeld_rijen('herberekening_vrijstelling', alleen_herberekening := true);
insert into beeld_vrijstelling_eerder by name from beeld_rijen('herberekening_vrijstelling', eerder := true, alleen_herberekening := true);

drop table herberekening_vrijstelling;
