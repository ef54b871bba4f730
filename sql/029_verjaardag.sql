-- The day a person born on geboortedatum turns n: the one birthday rule
-- every age limit uses (4, 5, 16, 18, 22, 23: leeftijd, begin and einde
-- leerplicht). Born on 29 February, a person turns a year older on 1 March
-- in a year without 29 February (domain rules, "Birthdays and ages").
create or replace macro verjaardag(geboortedatum, n) as
    case
        when month(geboortedatum) = 2 and day(geboortedatum) = 29
             and day(last_day(make_date(cast(year(geboortedatum) + n as bigint), 2, 1))) = 28
        then make_date(cast(year(geboortedatum) + n as bigint), 3, 1)
        else make_date(cast(year(geboortedatum) + n as bigint), month(geboortedatum), day(geboortedatum))
    end;
