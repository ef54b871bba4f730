-- The added deliveries join the stored order and the purged ones
-- (`verwijderd`) leave it: the same macro over the stored rows and the
-- added deliveries' levering rows (`nieuw_levering`, a temporary view the
-- refresh makes over their files alone).
create or replace temp table levering_bekend as
select levering_id, soort, soort_afnemer, afnemercode, peildatum, aanmaakdatum, leveringsvolgnummer
from levering_volgorde
where levering_id not in (select levering_id from verwijderd)
union all
select levering_id, soort, soort_afnemer, afnemercode, peildatum, aanmaakdatum, leveringsvolgnummer
from nieuw_levering;

create or replace table levering_volgorde as from levering_volgorde_van('levering_bekend');

drop table levering_bekend;
