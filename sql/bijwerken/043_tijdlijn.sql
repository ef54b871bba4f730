-- The recomputed persons' timelines replace theirs.
delete from tijdlijn_alles where persoon_nr in (select persoon_nr from herberekening);
insert into tijdlijn_alles by name from tijdlijn_berekend(alleen_herberekening := true);
