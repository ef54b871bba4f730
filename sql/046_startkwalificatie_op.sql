-- Startkwalificatie op d: a RES with startkwalificatie = J and
-- datum_resultaat <= d, or an SKW with indicatie = J and datum_behaald <= d.
create or replace macro startkwalificatie_op(d, bekend_op := NULL) as table
select persoon_nr, pgn
from tijdlijn(bekend_op := bekend_op)
where startkwalificatie_sinds <= d;
