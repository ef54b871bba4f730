-- The recomputed persons' vsv_indicatie rows: their stored rows (of every picture)
-- with the added deliveries' (nieuw_vsv_indicatie), sorted again into the latest and
-- the earlier pictures by the full build's macro.
create or replace temp table herberekening_vsv_indicatie as
select * exclude (persoon_nr, bekend_vanaf, bekend_tot) from beeld_vsv_indicatie_alles
where persoon_nr in (select persoon_nr from herberekening)
union all by name
select * exclude (persoon_nr, bekend_vanaf, bekend_tot) from beeld_vsv_indicatie_eerder
where persoon_nr in (select persoon_nr from herberekening)
union all by name
select * from nieuw_vsv_indicatie;

delete from beeld_vsv_indicatie_alles where persoon_nr in (select persoon_nr from herberekening);
delete from beeld_vsv_indicatie_eerder where persoon_nr in (select persoon_nr from herberekening);
insert into beeld_vsv_indicatie_alles by name from beeld_rijen('herberekening_vsv_indicatie', alleen_herberekening := true);
insert into beeld_vsv_indicatie_eerder by name from beeld_rijen('herberekening_vsv_indicatie', eerder := true, alleen_herberekening := true);

drop table herberekening_vsv_indicatie;
