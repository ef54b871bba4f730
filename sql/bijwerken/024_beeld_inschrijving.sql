-- The recomputed persons' inschrijving rows: their stored rows (of every picture)
-- with the added deliveries' (nieuw_inschrijving), sorted again into the latest and
-- the earlier pictures by the full build's macro.
create or replace temp table herberekening_inschrijving as
select * exclude (persoon_nr, bekend_vanaf, bekend_tot) from beeld_inschrijving_alles
where persoon_nr in (select persoon_nr from herberekening)
union all by name
select * exclude (persoon_nr, bekend_vanaf, bekend_tot) from beeld_inschrijving_eerder
where persoon_nr in (select persoon_nr from herberekening)
union all by name
select * from nieuw_inschrijving;

delete from beeld_inschrijving_alles where persoon_nr in (select persoon_nr from herberekening);
delete from beeld_inschrijving_eerder where persoon_nr in (select persoon_nr from herberekening);
insert into beeld_inschrijving_alles by name from beeld_rijen('herberekening_inschrijving', alleen_herberekening := true);
insert into beeld_inschrijving_eerder by name from beeld_rijen('herberekening_inschrijving', eerder := true, alleen_herberekening := true);

drop table herberekening_inschrijving;
