-- Covered gemeenten on d: a gemeente-afnemer covers its own gemeente, a
-- regio-afnemer the gemeenten of its regio on d — for every afnemer with a
-- delivery known on bekend_op. Figures are produced for these only, so that
-- no gemeente shows a misleading partial count.
--
-- What the lake can know of a covered gemeente (domain rules, "Coverage"):
--   gedekt_vanaf  the peildatum of the first C-levering of its afnemers. Only
--                 a snapshot holds everyone; before it the lake knows only
--                 who was still there later, so a figure for an earlier day
--                 or teljaar is built from an incomplete population (NULL:
--                 no C-levering yet).
--   bekend_tot    the last peildatum of its afnemers: what happened after it
--                 is not known yet (a teljaar is provisional until then).
--   volledig      gedekt_vanaf <= d: the lake's population of the gemeente on
--                 d is complete. The figures on a day count only these
--                 gemeenten; vsv marks its teljaar 'onvolledig' instead.
-- Of two afnemers covering one gemeente (its own and its regio's) the
-- earliest snapshot and the latest knowledge count.
create or replace macro gedekte_gemeenten(d, bekend_op := NULL) as table
with
    afnemers as (
        select soort_afnemer, afnemercode,
            min(peildatum) filter (where soort = 'C') as gedekt_vanaf,
            max(peildatum) as bekend_tot
        from levering_volgorde
        where peildatum <= coalesce(cast(bekend_op as date), date '9999-12-31')
        group by soort_afnemer, afnemercode
    ),
    gemeenten as (
        select afnemercode as gemeentecode, gedekt_vanaf, bekend_tot, gedekt_vanaf <= d as volledig
        from afnemers where soort_afnemer = 'G'
        union all
        select r.gemeentecode, a.gedekt_vanaf, a.bekend_tot, a.gedekt_vanaf <= d
        from afnemers a
        join regio_op(d) r on r.regiocode = right(a.afnemercode, 2)
        where a.soort_afnemer = 'R'
    )
select gemeentecode, min(gedekt_vanaf) as gedekt_vanaf, max(bekend_tot) as bekend_tot,
    coalesce(bool_or(volledig), false) as volledig
from gemeenten
group by gemeentecode;
