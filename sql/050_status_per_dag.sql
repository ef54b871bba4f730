-- Every member of the population (a person in any delivery known on
-- bekend_op) with what the rules say of them, on every day from van to tot
-- on which something about them can change: van itself, and each day a
-- period (verblijf, inschrijving, vrijstelling) begins or has just ended,
-- leerplicht begins or has just ended, they turn 5 or 18, obtain a
-- startkwalificatie or die; `extra` adds days for everyone (the days a
-- gemeente's coverage begins). Between two such days nothing changes, so a
-- question over a period (the yearly Leerplichttelling) asks only these.
-- `status_op(d)` is this on one day: the rule is written here once.
create or replace macro status_per_dag(van, tot, bekend_op := NULL, extra := []) as table
with
    dagen as (
        select t.*,
            unnest(case
                when cast(van as date) = cast(tot as date) then [cast(van as date)]
                else list_sort(list_distinct(list_filter(
                    [cast(van as date), begin_leerplicht(t.geboortedatum), einde_leerplicht(t.geboortedatum) + 1,
                     verjaardag(t.geboortedatum, 5), verjaardag(t.geboortedatum, 18),
                     t.startkwalificatie_sinds, t.overlijdensdatum]
                    || list_transform(t.verblijven, lambda v: v.van) || list_transform(t.verblijven, lambda v: v.tot + 1)
                    || list_transform(t.inschrijvingen, lambda i: i.van) || list_transform(t.inschrijvingen, lambda i: i.tot + 1)
                    || list_transform(t.vrijstellingen, lambda v: v.van) || list_transform(t.vrijstellingen, lambda v: v.tot + 1)
                    || extra,
                    lambda x: x is not null and x >= cast(van as date) and x <= cast(tot as date))))
            end) as dag
        from tijdlijn(bekend_op := bekend_op) t
    ),
    basis as (
        select
            persoon_nr,
            pgn,
            geboortedatum,
            dag,
            gemeente_op(verblijven, dag) as gemeentecode,
            leeftijd(geboortedatum, dag) as leeftijd,
            overlijdensdatum is null or overlijdensdatum > dag as in_leven,
            begin_leerplicht(geboortedatum) as begin_leerplicht,
            einde_leerplicht(geboortedatum) as einde_leerplicht,
            len(list_filter(inschrijvingen, lambda i: actief_op(i.van, i.tot, dag))) > 0 as ingeschreven,
            len(list_filter(vrijstellingen, lambda v: is_vrijstelling(v.artikel) and actief_op(v.van, v.tot, dag))) > 0 as vrijstelling,
            len(list_filter(vrijstellingen, lambda v: is_vervangende_leerplicht(v.artikel) and actief_op(v.van, v.tot, dag))) > 0
                as vervangende_leerplicht,
            coalesce(startkwalificatie_sinds <= dag, false) as startkwalificatie,
            len(inschrijvingen) = 0 as nooit_ingeschreven,
            list_max(list_transform(list_filter(inschrijvingen, lambda i: i.tot < dag), lambda i: i.tot)) as laatste_uitschrijving
        from dagen
    ),
    plicht as (
        select *,
            in_leven and begin_leerplicht <= dag and dag <= einde_leerplicht as leerplichtig,
            in_leven and dag > einde_leerplicht and leeftijd < 18 and not startkwalificatie as kwalificatieplichtig
        from basis
    )
select *,
    (leerplichtig or kwalificatieplichtig)
        and not ingeschreven and not vrijstelling and not vervangende_leerplicht as absoluut_verzuim
from plicht;
