-- The recomputed persons' vrijstelling rows (herberekende_rijen: their stored rows
-- of every picture and the added deliveries'), sorted again into the latest
-- and the earlier pictures by the full build's macro. Kept aside first: the
-- deletes below remove what it reads.
create or replace temp table herberekening_vrijstelling as from herberekende_rijen('vrijstelling');
delete from beeld_vrijstelling_alles where persoon_nr in (select persoon_nr from herberekening);
delete from beeld_vrijstelling_eerder where persoon_nr in (select persoon_nr from herberekening);
insert into beeld_vrijstelling_alles by name from beeld_rijen('herberekening_vrijstelling', alleen_herberekening := true);
insert into beeld_vrijstelling_eerder by name from beeld_rijen('herberekening_vrijstelling', eerder := true, alleen_herberekening := true);
drop table herberekening_vrijstelling;
