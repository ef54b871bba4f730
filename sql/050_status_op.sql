-- Every member of the population (a person in any delivery known on
-- bekend_op) with what the rules say of them on d. The figures count these
-- flags; none of them restates a rule.
create or replace macro status_op(d, bekend_op := NULL) as table
with
    basis as (
        select
            t.persoon_nr,
            t.pgn,
            t.geboortedatum,
            gemeente_op(t.verblijven, d) as gemeentecode,
            leeftijd(t.geboortedatum, cast(d as date)) as leeftijd,
            t.overlijdensdatum is null or t.overlijdensdatum > d as in_leven,
            begin_leerplicht(t.geboortedatum) as begin_leerplicht,
            einde_leerplicht(t.geboortedatum) as einde_leerplicht,
            len(list_filter(t.inschrijvingen, lambda i: actief_op(i.van, i.tot, d))) > 0 as ingeschreven,
            len(list_filter(t.vrijstellingen, lambda v: is_vrijstelling(v.artikel) and actief_op(v.van, v.tot, d))) > 0 as vrijstelling,
            len(list_filter(t.vrijstellingen, lambda v: is_vervangende_leerplicht(v.artikel) and actief_op(v.van, v.tot, d))) > 0
                as vervangende_leerplicht,
            coalesce(t.startkwalificatie_sinds <= d, false) as startkwalificatie,
            len(t.inschrijvingen) = 0 as nooit_ingeschreven,
            list_max(list_transform(list_filter(t.inschrijvingen, lambda i: i.tot < d), lambda i: i.tot)) as laatste_uitschrijving
        from tijdlijn(bekend_op := bekend_op) t
    ),
    plicht as (
        select *,
            in_leven and begin_leerplicht <= d and d <= einde_leerplicht as leerplichtig,
            in_leven and d > einde_leerplicht and leeftijd < 18 and not startkwalificatie as kwalificatieplichtig
        from basis
    )
select *,
    (leerplichtig or kwalificatieplichtig)
        and not ingeschreven and not vrijstelling and not vervangende_leerplicht as absoluut_verzuim
from plicht;
