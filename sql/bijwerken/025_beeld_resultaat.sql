-- The recomputed persons' resultaat rows (herberekende_rijen: their stored rows
-- of every picture and the added deliveries'), sorted again into the latest
-- and the earlier pictures by the full build's macro. Kept aside first: the
-- deletes below remove what it reads.
create or replace temp table herberekening_resultaat as from herberekende_rijen('resultaat');
delete from beeld_resultaat_alles where persoon_nr in (select persoon_nr from herberekening);
delete from beeld_resultaat_eerder where persoon_nr in (select persoon_nr from herberekening);
insert into beeld_resultaat_alles by name from beeld_rijen('herberekening_resultaat', alleen_herberekening := true);
insert into beeld_resultaat_eerder by name from beeld_rijen('herberekening_resultaat', eerder := true, alleen_herberekening := true);
drop table herberekening_resultaat;
