-- Nieuwe voortijdig schoolverlaters for teljaar t, per regio, gemeente,
-- instelling and categorie: deelnemers (|A|), vsv (computed), vsv_duo (DUO's
-- indicator for the same persons) and the percentage vsv ÷ deelnemers × 100.
create or replace macro vsv(t, bekend_op := NULL) as table
select
    regiocode, gemeentecode, instellingscode, categorie,
    count(*) as deelnemers,
    count(*) filter (where berekend) as vsv,
    count(*) filter (where duo) as vsv_duo,
    round(100.0 * count(*) filter (where berekend) / count(*), 2) as percentage
from vsv_deelnemers(t, bekend_op := bekend_op)
group by all
order by regiocode, gemeentecode, instellingscode, categorie;
