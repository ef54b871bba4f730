-- The persons of the added deliveries (`nieuw_persoon`, a temporary view the
-- refresh makes over their persoon files) and of the purged ones (any
-- stored picture of a delivery in `verwijderd`, which the refresh fills),
-- with the persoon_nr of those already known: the stored tables are
-- filtered on it (an integer) rather than on the pgn. A new person's
-- number is given by 018.
create or replace table herberekening as
select n.pgn, a.persoon_nr
from (
    select pgn from nieuw_persoon
    union
    select pgn from beeld_alles where levering_id in (select levering_id from verwijderd)
    union
    select pgn from beeld_eerder where levering_id in (select levering_id from verwijderd)
) n
left join beeld_alles a using (pgn);
