-- The recomputed persons' inschrijving rows replace theirs.
delete from beeld_inschrijving_alles where persoon_nr in (select persoon_nr from herberekening);
insert into beeld_inschrijving_alles by name from beeld_rijen('inschrijving', alleen_herberekening := true);
