-- The recomputed persons' persoon rows replace theirs.
delete from beeld_persoon_alles where persoon_nr in (select persoon_nr from herberekening);
insert into beeld_persoon_alles by name from beeld_rijen('persoon', alleen_herberekening := true);
