-- Einde leerplicht: 31 July of the schooljaar (1 August – 31 July) in which
-- the person turns 16 (verjaardag). The "12 full schooljaren" route to an
-- earlier end is not in the deliveries.
create or replace macro einde_leerplicht(geboortedatum) as
    make_date(
        year(verjaardag(geboortedatum, 16))
            + case when month(verjaardag(geboortedatum, 16)) >= 8 then 1 else 0 end,
        7, 31);
