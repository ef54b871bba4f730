-- The recomputed persons' vrijstelling rows replace theirs.
delete from beeld_vrijstelling_alles where persoon_nr in (select persoon_nr from herberekening);
insert into beeld_vrijstelling_alles by name from beeld_rijen('vrijstelling', alleen_herberekening := true);
