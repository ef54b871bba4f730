-- Each person's picture folded into one row: the residence periods in a
-- Dutch gemeente (in order of datum_aanvang), the inschrijvingen, the
-- vrijstellingen, and the first day with a startkwalificatie (a RES with
-- startkwalificatie = J, or an SKW with indicatie = J).
--
-- Why: status_op asks, for every person, several questions about one date.
-- Answered by joining per-table aggregates, that took 2 s at national scale
-- (2.5 million persons, mostly hash joins and group-bys); answered from one
-- row per person with list functions it takes 0.5 s. The grouping is done
-- here, once per refresh for everything loaded (tijdlijn_alles), and only
-- for a question about earlier knowledge at query time.
-- alleen_herberekening: only the persons of `herberekening` (the
-- incremental refresh), filtered before the grouping: on the grouped rows
-- DuckDB would group everyone first (8 s instead of 0.2 s nationally).
create or replace macro tijdlijn_berekend(bekend_op := NULL, alleen_herberekening := false) as table
with
    v as (
        select persoon_nr,
            list({'gemeentecode': gemeentecode, 'van': datum_aanvang, 'tot': datum_einde} order by datum_aanvang) as verblijven
        from verblijf_in_nederland(bekend_op := bekend_op)
        where not alleen_herberekening or persoon_nr in (select persoon_nr from herberekening)
        group by persoon_nr
    ),
    i as (
        select persoon_nr, list({'van': datum_inschrijving, 'tot': datum_uitschrijving}) as inschrijvingen
        from beeld_inschrijving(bekend_op := bekend_op)
        where not alleen_herberekening or persoon_nr in (select persoon_nr from herberekening)
        group by persoon_nr
    ),
    r as (
        select persoon_nr, list({'artikel': artikel, 'van': datum_begin, 'tot': datum_einde}) as vrijstellingen
        from beeld_vrijstelling(bekend_op := bekend_op)
        where not alleen_herberekening or persoon_nr in (select persoon_nr from herberekening)
        group by persoon_nr
    ),
    sk as (
        select persoon_nr, min(sinds) as startkwalificatie_sinds
        from (
            select persoon_nr, datum_resultaat as sinds from beeld_resultaat(bekend_op := bekend_op) where startkwalificatie
            union all
            select persoon_nr, datum_behaald from beeld_startkwalificatie(bekend_op := bekend_op) where indicatie
        )
        where not alleen_herberekening or persoon_nr in (select persoon_nr from herberekening)
        group by persoon_nr
    )
select
    p.persoon_nr, p.pgn, p.geboortedatum, p.overlijdensdatum,
    coalesce(v.verblijven, []) as verblijven,
    coalesce(i.inschrijvingen, []) as inschrijvingen,
    coalesce(r.vrijstellingen, []) as vrijstellingen,
    sk.startkwalificatie_sinds
from beeld_persoon(bekend_op := bekend_op) p
left join v using (persoon_nr)
left join i using (persoon_nr)
left join r using (persoon_nr)
left join sk using (persoon_nr)
where not alleen_herberekening or p.persoon_nr in (select persoon_nr from herberekening);

create or replace table tijdlijn_alles as select * from tijdlijn_berekend();

create or replace macro tijdlijn(bekend_op := NULL) as table
select * from tijdlijn_alles where bekend_op is null
union all
select * from tijdlijn_berekend(bekend_op := bekend_op) where bekend_op is not null;
