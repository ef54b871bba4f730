-- The recomputed persons' startkwalificatie rows replace theirs.
delete from beeld_startkwalificatie_alles where persoon_nr in (select persoon_nr from herberekening);
insert into beeld_startkwalificatie_alles by name from beeld_rijen('startkwalificatie', alleen_herberekening := true);
