-- The persons of the added deliveries (`nieuw_persoon`, a temporary view the
-- refresh makes over their persoon files), with the persoon_nr of those
-- already known: the stored tables are filtered on it (an integer) rather
-- than on the pgn. A new person's number is given by 018.
create or replace table herberekening as
select n.pgn, a.persoon_nr
from (select distinct pgn from nieuw_persoon) n
left join beeld_alles a using (pgn);
