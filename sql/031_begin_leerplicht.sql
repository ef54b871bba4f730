-- Begin leerplicht (Leerplichtwet art. 3): the first day of the month after
-- the month of the 5th birthday. (The law says the first school day of that
-- month; the deliveries carry no school calendar.)
create or replace macro begin_leerplicht(geboortedatum) as
    cast(date_trunc('month', geboortedatum + interval 5 year) + interval 1 month as date);
