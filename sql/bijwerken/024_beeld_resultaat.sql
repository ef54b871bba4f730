-- The recomputed persons' resultaat rows replace theirs.
delete from beeld_resultaat_alles where persoon_nr in (select persoon_nr from herberekening);
insert into beeld_resultaat_alles by name from beeld_rijen('resultaat', alleen_herberekening := true);
