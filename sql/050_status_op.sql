-- Every member of the population (a person in any delivery known on
-- bekend_op) with what the rules say of them on d. The figures count these
-- flags; none of them restates a rule.
create or replace macro status_op(d, bekend_op := NULL) as table
with
    -- one pass over the inschrijvingen answers both "enrolled on d" and "last uitschrijving before d"
    ins as (
        select pgn,
            bool_or(actief_op(datum_inschrijving, datum_uitschrijving, d)) as ingeschreven,
            max(datum_uitschrijving) filter (where datum_uitschrijving < d) as laatste_uitschrijving
        from beeld_inschrijving(bekend_op := bekend_op)
        group by pgn
    ),
    vrs as (
        select pgn, bool_or(is_vrijstelling) as vrijstelling, bool_or(is_vervangende_leerplicht) as vervangende_leerplicht
        from actieve_vrijstelling(d, bekend_op := bekend_op)
        group by pgn
    ),
    basis as (
        select
            p.pgn,
            p.geboortedatum,
            w.gemeentecode,
            leeftijd(p.geboortedatum, cast(d as date)) as leeftijd,
            p.overlijdensdatum is null or p.overlijdensdatum > d as in_leven,
            begin_leerplicht(p.geboortedatum) as begin_leerplicht,
            einde_leerplicht(p.geboortedatum) as einde_leerplicht,
            coalesce(ins.ingeschreven, false) as ingeschreven,
            coalesce(vrs.vrijstelling, false) as vrijstelling,
            coalesce(vrs.vervangende_leerplicht, false) as vervangende_leerplicht,
            skw.pgn is not null as startkwalificatie,
            ins.pgn is null as nooit_ingeschreven,
            ins.laatste_uitschrijving
        from beeld_persoon(bekend_op := bekend_op) p
        left join woont_op(d, bekend_op := bekend_op) w using (pgn)
        left join ins using (pgn)
        left join vrs using (pgn)
        left join startkwalificatie_op(d, bekend_op := bekend_op) skw using (pgn)
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
