-- Each person's picture folded into one row: the residence periods in a
-- Dutch gemeente (in order of datum_aanvang), the inschrijvingen, the
-- vrijstellingen, and the first day with a startkwalificatie (a RES with
-- startkwalificatie = J, or an SKW with indicatie = J).
--
-- Why: status_op asks, for every person, several questions about one date.
-- Answered by joining per-table aggregates, that took 2 s at national scale
-- (2.5 million persons, mostly hash joins and group-bys); answered from one
-- row per person with list functions it takes 0.5 s. The grouping is done
-- here, once per refresh: for each person's latest picture (tijdlijn_alles)
-- and, with eerder, for each earlier one (tijdlijn_eerder), each row with
-- the days its picture was the latest; a question about earlier knowledge
-- filters them (bekende_beelden) like the stored pictures. A picture is
-- told apart from the person's others by its bekend_vanaf.
-- alleen_herberekening: only the persons of `herberekening` (the
-- incremental refresh), filtered before the grouping: on the grouped rows
-- DuckDB would group everyone first (8 s instead of 0.2 s nationally).
create or replace macro tijdlijn_berekend(eerder := false, alleen_herberekening := false) as table
with
    v as (
        select persoon_nr, bekend_vanaf,
            -- sorted by van (then tot, gemeentecode: ties in a fixed order)
            -- after grouping: an ordered aggregate took twice as long
            list_sort(list({'van': datum_aanvang, 'tot': datum_einde, 'gemeentecode': gemeentecode})) as verblijven
        from verblijf_in_nederland(eerder := eerder)
        where not alleen_herberekening or persoon_nr in (select persoon_nr from herberekening)
        group by persoon_nr, bekend_vanaf
    ),
    i as (
        select persoon_nr, bekend_vanaf, list({'van': datum_inschrijving, 'tot': datum_uitschrijving}) as inschrijvingen
        from beeld_inschrijving(eerder := eerder)
        where not alleen_herberekening or persoon_nr in (select persoon_nr from herberekening)
        group by persoon_nr, bekend_vanaf
    ),
    r as (
        select persoon_nr, bekend_vanaf, list({'artikel': artikel, 'van': datum_begin, 'tot': datum_einde}) as vrijstellingen
        from beeld_vrijstelling(eerder := eerder)
        where not alleen_herberekening or persoon_nr in (select persoon_nr from herberekening)
        group by persoon_nr, bekend_vanaf
    ),
    sk as (
        select persoon_nr, bekend_vanaf, min(sinds) as startkwalificatie_sinds
        from (
            select persoon_nr, bekend_vanaf, datum_resultaat as sinds from beeld_resultaat(eerder := eerder) where startkwalificatie
            union all
            select persoon_nr, bekend_vanaf, datum_behaald from beeld_startkwalificatie(eerder := eerder) where indicatie
        )
        where not alleen_herberekening or persoon_nr in (select persoon_nr from herberekening)
        group by persoon_nr, bekend_vanaf
    )
select
    p.persoon_nr, p.pgn, p.geboortedatum, p.overlijdensdatum,
    coalesce(v.verblijven, []) as verblijven,
    coalesce(i.inschrijvingen, []) as inschrijvingen,
    coalesce(r.vrijstellingen, []) as vrijstellingen,
    sk.startkwalificatie_sinds,
    p.bekend_vanaf, p.bekend_tot
from beeld_persoon(eerder := eerder) p
left join v using (persoon_nr, bekend_vanaf)
left join i using (persoon_nr, bekend_vanaf)
left join r using (persoon_nr, bekend_vanaf)
left join sk using (persoon_nr, bekend_vanaf)
where not alleen_herberekening or p.persoon_nr in (select persoon_nr from herberekening);

create or replace table tijdlijn_alles as from tijdlijn_berekend();
-- in order of bekend_tot, as beeld_<tabel>_eerder (022–028)
create or replace table tijdlijn_eerder as from tijdlijn_berekend(eerder := true) order by bekend_tot;

create or replace macro tijdlijn(bekend_op := NULL) as table
from bekende_beelden('tijdlijn', bekend_op := bekend_op);
