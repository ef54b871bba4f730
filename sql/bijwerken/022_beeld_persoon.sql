-- The recomputed persons' persoon rows (herberekende_rijen: their stored rows
-- of every picture and the added deliveries'), sorted again into the latest
-- and the earlier pictures by the full build's macro. Kept aside first: the
-- deletes below remove what it reads.
create or replace temp table herberekening_persoon as from herberekende_rijen('persoon');
delete from beeld_persoon_alles where persoon_nr in (select persoon_nr from herberekening);
delete from beeld_persoon_eerder where persoon_nr in (select persoon_nr from herberekening);
insert into beeld_persoon_alles by name from beeld_rijen('herberekening_persoon', alleen_herberekening := true);
insert into beeld_persoon_eerder by name from beeld_rijen('herberekening_persoon', eerder := true, alleen_herberekening := true);
drop table herberekening_persoon;
