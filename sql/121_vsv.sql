-- Nieuwe voortijdig schoolverlaters for teljaar t, per regio, gemeente,
-- instelling and categorie: deelnemers (|A|), vsv (computed), vsv_duo (DUO's
-- indicator for the same persons; NULL when DUO's indicator for the teljaar
-- is not in the lake), the percentage vsv ÷ deelnemers × 100, and status:
-- definitief, voorlopig or onvolledig (vsv_deelnemers says when).
create or replace macro vsv(t, bekend_op := NULL) as table
select
    regiocode, gemeentecode, instellingscode, categorie,
    count(*) as deelnemers,
    count(*) filter (where berekend) as vsv,
    case when bool_or(duo is not null) then count(*) filter (where duo) end as vsv_duo,
    round(100.0 * count(*) filter (where berekend) / count(*), 2) as percentage,
    status
from vsv_deelnemers(t, bekend_op := bekend_op)
group by regiocode, gemeentecode, instellingscode, categorie, status
order by regiocode, gemeentecode, instellingscode, categorie;
