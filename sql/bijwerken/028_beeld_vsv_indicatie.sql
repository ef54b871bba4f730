-- The recomputed persons' vsv_indicatie rows (herberekende_rijen: their stored rows
-- of every picture and the added deliveries'), sorted again into the latest
-- and the earlier pictures by the full build's macro. Kept aside first: the
-- deletes below remove what it reads.
create or replace temp table herberekening_vsv_indicatie as from herberekende_rijen('vsv_indicatie');
delete from beeld_vsv_indicatie_alles where persoon_nr in (select persoon_nr from herberekening);
delete from beeld_vsv_indicatie_eerder where persoon_nr in (select persoon_nr from herberekening);
insert into beeld_vsv_indicatie_alles by name from beeld_rijen('herberekening_vsv_indicatie', alleen_herberekening := true);
insert into beeld_vsv_indicatie_eerder by name from beeld_rijen('herberekening_vsv_indicatie', eerder := true, alleen_herberekening := true);
drop table herberekening_vsv_indicatie;
