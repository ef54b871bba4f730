-- The recomputed persons' pictures: their stored ones (latest and earlier)
-- but the purged deliveries' (`verwijderd`), with those of the added
-- deliveries, ordered again by the same macro as a full build — no file of
-- the lake is opened but the added deliveries'. A person left without a
-- picture (every delivery of theirs purged) leaves the catalog. A
-- picture left out as never counting stays so (017), so the stored ones
-- are all it needs.
--
-- A person already known keeps the persoon_nr; a new one gets the next free
-- numbers (a full rebuild numbers the persons in the order it reads them,
-- so the numbers may differ between the two — they are a join key, not an
-- identity).
create or replace temp view herberekende_versies as
select pgn, levering_id from beeld_alles
where persoon_nr in (select persoon_nr from herberekening) and levering_id not in (select levering_id from verwijderd)
union all
select pgn, levering_id from beeld_eerder
where persoon_nr in (select persoon_nr from herberekening) and levering_id not in (select levering_id from verwijderd)
union all
select pgn, levering_id from nieuw_persoon;

-- kept until 019 has sorted the earlier pictures too
create or replace temp table herberekend_beeld as
select v.*, h.persoon_nr
from beeld_versies(bron := 'herberekende_versies') v
join herberekening h using (pgn);

delete from beeld_alles
where persoon_nr in (select persoon_nr from herberekening)
  and persoon_nr not in (select persoon_nr from herberekend_beeld where persoon_nr is not null and bekend_tot is null);

update beeld_alles set levering_id = n.levering_id, bekend_vanaf = n.bekend_vanaf
from herberekend_beeld n
where beeld_alles.persoon_nr = n.persoon_nr and n.bekend_tot is null
  and (beeld_alles.levering_id <> n.levering_id or beeld_alles.bekend_vanaf <> n.bekend_vanaf);

update herberekening set persoon_nr = n.persoon_nr
from (
    select pgn, cast((select coalesce(max(persoon_nr), 0) from beeld_alles) + row_number() over (order by pgn) as integer) as persoon_nr
    from herberekening
    where persoon_nr is null
) n
where herberekening.pgn = n.pgn;

insert into beeld_alles
select n.pgn, n.levering_id, h.persoon_nr, n.bekend_vanaf, n.bekend_tot
from herberekend_beeld n
join herberekening h using (pgn)
where n.persoon_nr is null and n.bekend_tot is null;

drop view herberekende_versies;
