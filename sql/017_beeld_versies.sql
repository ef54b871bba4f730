-- Every picture a person has had, with the days on which it was the latest
-- known: one row per pgn and delivery holding the person. The picture known
-- on K is that of the last delivery (in levering_volgorde) with peildatum
-- <= K holding the person (domain rules), so a delivery's picture counts
-- from its peildatum (bekend_vanaf) until the peildatum of the person's next
-- delivery (bekend_tot, exclusive; NULL for the latest). A picture followed
-- by one with the same peildatum never counts on any day and is left out:
-- whatever is added later, it stays so (a delivery slotted in between has
-- that same peildatum), which lets the incremental refresh work from the
-- stored pictures alone.
--
-- bron: the relation of (pgn, levering_id) pairs to order — the lake's
-- `persoon` (the full build passes `bouw_persoon`, the same rows); for the
-- incremental refresh the recomputed persons' stored pictures with the
-- added deliveries' (sql/bijwerken/).
create or replace macro beeld_versies(bron := 'persoon') as table
select pgn, levering_id, bekend_vanaf, bekend_tot
from (
    select p.pgn, p.levering_id, v.peildatum as bekend_vanaf,
        lead(v.peildatum) over (partition by p.pgn order by v.volgorde) as bekend_tot
    from query_table(bron) p
    join levering_volgorde v using (levering_id)
)
where bekend_tot is null or bekend_tot > bekend_vanaf;
