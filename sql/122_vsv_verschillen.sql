-- The persons of the VSV start population of teljaar t on whom the rule
-- (berekend) and DUO's own indicator (duo) disagree — none when DUO's
-- indicator for the teljaar is not in the lake (duo is NULL then).
create or replace macro vsv_verschillen(t, bekend_op := NULL) as table
select pgn, berekend, duo
from vsv_deelnemers(t, bekend_op := bekend_op)
where berekend <> duo
order by pgn;
