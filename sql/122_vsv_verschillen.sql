-- The persons of the VSV start population of teljaar t on whom the rule
-- (berekend) and DUO's own indicator (duo) disagree.
create or replace macro vsv_verschillen(t, bekend_op := NULL) as table
select pgn, berekend, duo
from vsv_deelnemers(t, bekend_op := bekend_op)
where berekend <> duo
order by pgn;
