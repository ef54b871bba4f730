-- The persons of the added deliveries (`nieuw_persoon`, a temporary view the
-- refresh makes over their persoon files); persoon_nr is filled in once
-- beeld_alles knows every one of them (018).
create or replace table herberekening as
select distinct pgn, cast(null as integer) as persoon_nr
from nieuw_persoon;
