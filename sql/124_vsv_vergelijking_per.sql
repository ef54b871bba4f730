-- DUO's VSV figures beside the lake's for teljaar t, per regio, gemeente and
-- instelling (vsv_vergelijking counted): deelnemers and vsv'ers of each,
-- and both percentages. niveau says which grouping a row is ('regio',
-- 'gemeente', 'instelling'); code is its regiocode, gemeentecode or
-- instellingscode. The regio is the gemeente's on T0.
create or replace macro vsv_vergelijking_per(t, bekend_op := NULL) as table
with
    v as (
        select v.*, r.regiocode
        from vsv_vergelijking(t, bekend_op := bekend_op) v
        left join regio_op(make_date(als_jaar(t), 10, 1)) r using (gemeentecode)
    ),
    geteld as (
        select
            case when grouping(regiocode) = 0 then 'regio' when grouping(gemeentecode) = 0 then 'gemeente' else 'instelling' end
                as niveau,
            coalesce(regiocode, gemeentecode, instellingscode) as code,
            count(*) filter (where in_startpopulatie in ('beide', 'alleen_duo')) as deelnemers_duo,
            count(*) filter (where vsv in ('beide', 'alleen_duo')) as vsv_duo,
            count(*) filter (where in_startpopulatie in ('beide', 'alleen_berekend')) as deelnemers_berekend,
            count(*) filter (where vsv in ('beide', 'alleen_berekend')) as vsv_berekend
        from v
        group by grouping sets ((regiocode), (gemeentecode), (instellingscode))
    )
select niveau, code, deelnemers_duo, vsv_duo, round(100.0 * vsv_duo / nullif(deelnemers_duo, 0), 2) as percentage_duo,
    deelnemers_berekend, vsv_berekend, round(100.0 * vsv_berekend / nullif(deelnemers_berekend, 0), 2) as percentage_berekend
from geteld
order by niveau, code;
