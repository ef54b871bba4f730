-- Covered gemeenten on d: a gemeente-afnemer covers its own gemeente, a
-- regio-afnemer the gemeenten of its regio on d — for every afnemer with a
-- delivery known on bekend_op. Figures are produced for these only, so that
-- no gemeente shows a misleading partial count.
create or replace macro gedekte_gemeenten(d, bekend_op := NULL) as table
with afnemers as (
    select distinct soort_afnemer, afnemercode
    from levering_volgorde
    where peildatum <= coalesce(cast(bekend_op as date), date '9999-12-31')
)
select afnemercode as gemeentecode from afnemers where soort_afnemer = 'G'
union
select r.gemeentecode
from afnemers a
join regio_op(d) r on r.regiocode = right(a.afnemercode, 2)
where a.soort_afnemer = 'R';
