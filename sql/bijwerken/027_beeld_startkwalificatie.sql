-- The recomputed persons' startkwalificatie rows: their stored rows (of every picture)
-- with the added deliveries' (nieuw_startkwalificatie), sorted again into the latest and
-- the earlier pictures by the full build's macro.
create or replace temp table herberekening_startkwalificatie as
select * exclude (persoon_nr, bekend_vanaf, bekend_tot) from beeld_startkwalificatie_alles
where persoon_nr in (select persoon_nr from herberekening)
union all by name
select * exclude (persoon_nr, bekend_vanaf, bekend_tot) from beeld_startkwalificatie_eerder
where persoon_nr in (select persoon_nr from herberekening)
union all by name
select * from nieuw_startkwalificatie;

delete from beeld_startkwalificatie_alles where persoon_nr in (select persoon_nr from herberekening);
delete from beeld_startkwalificatie_eerder where persoon_nr in (select persoon_nr from herberekening);
insert into beeld_startkwalificatie_alles by name from beeld_rijen('herberekening_startkwalificatie', alleen_herberekening := true);
insert into beeld_startkwalificatie_eerder by name from beeld_rijen('herberekening_startkwalificatie', eerder := true, alleen_herberekening := true);

drop table herberekening_startkwalificatie;
