-- Leeftijd op datum d: whole years between geboortedatum and d — the
-- number of birthdays (verjaardag) on or before d.
create or replace macro leeftijd(geboortedatum, d) as
    year(d) - year(geboortedatum)
    - case when d < verjaardag(geboortedatum, year(d) - year(geboortedatum)) then 1 else 0 end;
