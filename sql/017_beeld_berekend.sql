-- Latest picture known on K, computed: for each pgn, the delivery whose
-- picture of the person counts — the last one (in levering_volgorde) with
-- peildatum <= K that holds the person. Use `beeld`, which answers the
-- default (everything loaded) from a table made at catalog refresh.
-- alleen_herberekening: only the persons of `herberekening` (the
-- incremental refresh).
create or replace macro beeld_berekend(bekend_op := NULL, alleen_herberekening := false) as table
select p.pgn, arg_max(p.levering_id, v.volgorde) as levering_id
from persoon p
join levering_volgorde v using (levering_id)
where v.peildatum <= coalesce(cast(bekend_op as date), date '9999-12-31')
  and (not alleen_herberekening or p.pgn in (select pgn from herberekening))
group by p.pgn;
