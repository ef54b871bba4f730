-- The stored "not known" answers (sql/056): the purged deliveries' out, the
-- added deliveries' in (`nieuw_niet_gevonden`), through the same macro.
delete from onbekend_bij_duo_nummers where levering_id in (select levering_id from verwijderd);

insert into onbekend_bij_duo_nummers from onbekend_bij_duo_van('nieuw_niet_gevonden');
