-- Leeftijd op datum d: whole years between geboortedatum and d. Someone born
-- on 29 February completes a year on 1 March in a non-leap year (the 28th
-- is not yet a whole year).
create or replace macro leeftijd(geboortedatum, d) as
    year(d) - year(geboortedatum)
    - case when month(d) < month(geboortedatum)
             or (month(d) = month(geboortedatum) and day(d) < day(geboortedatum))
           then 1 else 0 end;
