-- The recomputed persons' verblijf rows: their stored rows (of every picture)
-- with the added deliveries' (nieuw_verblijf), sorted again into the latest and
-- the earlier pictures by the full build's macro.
create or replace temp table herberekening_verblijf as
select * exclude (persoon_nr, bekend_vanaf, bekend_tot) from beeld_verblijf_alles
where persoon_nr in (select persoon_nr from herberekening)
union all by name
select * exclude (persoon_nr, bekend_vanaf, bekend_tot) from beeld_verblijf_eerder
where persoon_nr in (select persoon_nr from herberekening)
union all by name
select * from nieuw_verblijf;

delete from beeld_verblijf_alles where persoon_nr in (select persoon_nr from herberekening);
delete from beeld_verblijf_eerder where persoon_nr in (select persoon_nr from herberekening);
insert into beeld_verblijf_alles by name from beeld_rijen('herberekening_verblijf', alleen_herberekening := true);
insert into beeld_verblijf_eerder by name from beeld_rijen('herberekening_verblijf', eerder := true, alleen_herberekening := true);

drop table herberekening_verblijf;
