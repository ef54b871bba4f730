-- Startkwalificatie op d: a RES with startkwalificatie = J and
-- datum_resultaat <= d, or an SKW with indicatie = J and datum_behaald <= d.
create or replace macro startkwalificatie_op(d, bekend_op := NULL) as table
select pgn from beeld_resultaat(bekend_op := bekend_op)
where startkwalificatie and datum_resultaat <= d
union
select pgn from beeld_startkwalificatie(bekend_op := bekend_op)
where indicatie and datum_behaald <= d;
