-- Einde leerplicht: 31 July of the schooljaar (1 August – 31 July) in which
-- the person turns 16. The "12 full schooljaren" route to an earlier end is
-- not in the deliveries.
create or replace macro einde_leerplicht(geboortedatum) as
    make_date(
        year(geboortedatum + interval 16 year)
            + case when month(geboortedatum) >= 8 then 1 else 0 end,
        7, 31);
