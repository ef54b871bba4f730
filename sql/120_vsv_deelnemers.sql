-- The VSV count for teljaar t, person by person (teldatum T0 = 1 October t,
-- T1 = 1 October t+1), on vsv_stand:
--   A  hoofdinschrijving on T0, younger than 22 on T0, living in a covered gemeente on T0;
--   B  died on or before T1, or living abroad on T1;
--   C  on T1 an active inschrijving of any onderwijssoort, or a vrijstelling;
--   D  a startkwalificatie on 31 December t+1 (includes the verlate startkwalificatie);
--   berekend = A − B − C − D; duo = DUO's own indicator (a VSV record with teldatum T1),
--   NULL when no picture carries DUO's indicator for T1 at all (DUO has not
--   sent it, or not yet: "not available", not "no vsv'er").
-- status: 'onvolledig' when T0 lies before the gemeente's first C-levering
-- (the start population misses who left before it), else 'voorlopig' until
-- the lake knows the gemeente past 31 December t+1 (the last day D looks
-- at), else 'definitief' — as DUO publishes voorlopige and definitieve cijfers.
-- Gemeente and regio by residence on T0; instelling and categorie by the hoofdinschrijving on T0.
create or replace macro vsv_deelnemers(t, bekend_op := NULL) as table
with
    duo as (
        select distinct persoon_nr from beeld_vsv_indicatie(bekend_op := bekend_op)
        where teldatum = make_date(als_jaar(t) + 1, 10, 1)
    )
select
    x.pgn,
    r.regiocode,
    x.gemeentecode,
    x.instellingscode,
    x.categorie,
    not x.weg and not x.in_onderwijs and not x.startkwalificatie as berekend,
    -- why not (for vsv_vergelijking): abroad or died by T1, in education on
    -- T1, a startkwalificatie by 31 December t+1
    x.weg as weg_op_t1,
    x.in_onderwijs as in_onderwijs_op_t1,
    x.startkwalificatie,
    case when exists (select 1 from duo) then x.persoon_nr in (select persoon_nr from duo) end as duo,
    case
        when not x.volledig then 'onvolledig'
        when x.bekend_tot <= make_date(als_jaar(t) + 1, 12, 31) then 'voorlopig'
        else 'definitief'
    end as status
from vsv_stand(t, make_date(als_jaar(t) + 1, 10, 1), make_date(als_jaar(t) + 1, 12, 31), bekend_op := bekend_op) x
left join regio_op(make_date(als_jaar(t), 10, 1)) r using (gemeentecode);
