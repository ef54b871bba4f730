-- The persons whose picture the last catalog refresh recomputed.
--
-- A refresh after added deliveries only (the nightly case) does not rebuild
-- the stored pictures: it recomputes those of the persons in the added
-- deliveries — no one else's picture can have changed — and replaces their
-- rows (sql/bijwerken/). A full rebuild leaves this table empty. The macros
-- that build the stored tables take `alleen_herberekening := true` to
-- restrict themselves to these persons, so each rule stays written once.
create or replace table herberekening (pgn varchar, persoon_nr integer);

-- The purged deliveries the last incremental refresh took out (their
-- persons are in herberekening); empty after a full rebuild.
create or replace table verwijderd (levering_id varchar);
