-- The recomputed persons' verblijf rows replace theirs.
delete from beeld_verblijf_alles where persoon_nr in (select persoon_nr from herberekening);
insert into beeld_verblijf_alles by name from beeld_rijen('verblijf', alleen_herberekening := true);
