-- Begin leerplicht (Leerplichtwet art. 3): the first day of the month after
-- the month of the 5th birthday (verjaardag: born 29 February 2020, 5 on
-- 1 March 2025, leerplichtig from 1 April 2025). The law says the first
-- school day of that month; the deliveries carry no school calendar.
create or replace macro begin_leerplicht(geboortedatum) as
    cast(date_trunc('month', verjaardag(geboortedatum, 5)) + interval 1 month as date);
