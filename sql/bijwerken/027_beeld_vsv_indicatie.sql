-- The recomputed persons' vsv_indicatie rows replace theirs.
delete from beeld_vsv_indicatie_alles where persoon_nr in (select persoon_nr from herberekening);
insert into beeld_vsv_indicatie_alles by name from beeld_rijen('vsv_indicatie', alleen_herberekening := true);
