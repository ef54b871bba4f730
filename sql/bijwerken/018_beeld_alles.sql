-- The recomputed persons' pictures replace theirs in beeld_alles. A person
-- already known keeps the persoon_nr; a new one gets the next free numbers
-- (a full rebuild numbers in pgn order, so the numbers may differ between
-- the two — they are a join key, not an identity).
create or replace temp table herberekend_beeld as
select pgn, levering_id from beeld_berekend(alleen_herberekening := true);

update beeld_alles set levering_id = n.levering_id
from herberekend_beeld n
where beeld_alles.pgn = n.pgn and beeld_alles.levering_id <> n.levering_id;

insert into beeld_alles
select n.pgn, n.levering_id,
    cast((select coalesce(max(persoon_nr), 0) from beeld_alles) + row_number() over (order by n.pgn) as integer)
from herberekend_beeld n
anti join beeld_alles a using (pgn);

update herberekening set persoon_nr = b.persoon_nr
from beeld_alles b
where herberekening.pgn = b.pgn;

drop table herberekend_beeld;
