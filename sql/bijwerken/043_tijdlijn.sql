-- The recomputed persons' timelines, of every picture, replace theirs.
delete from tijdlijn_alles where persoon_nr in (select persoon_nr from herberekening);
delete from tijdlijn_eerder where persoon_nr in (select persoon_nr from herberekening);
insert into tijdlijn_alles by name from tijdlijn_berekend(alleen_herberekening := true);
insert into tijdlijn_eerder by name from tijdlijn_berekend(eerder := true, alleen_herberekening := true);
