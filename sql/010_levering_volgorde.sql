-- The order in which deliveries supersede each other (domain rules, "Which
-- picture of a person counts"): by peildatum, then aanmaakdatum, then
-- leveringsvolgnummer, then soort, A < P < C, so that on a tie the snapshot
-- wins. levering_id only makes the order total.
-- Stored, not a view: every figure asks for the covered gemeenten and the
-- delivery order, and a view would open every delivery's levering.parquet
-- each time. The full build orders the lake's `levering` rows; the
-- incremental refresh (sql/bijwerken/) orders the stored rows with those of
-- the added deliveries, through the same macro, without opening the lake.
create or replace macro levering_volgorde_van(bron) as table
select
    levering_id, soort, soort_afnemer, afnemercode, peildatum, aanmaakdatum, leveringsvolgnummer,
    row_number() over (
        order by peildatum, aanmaakdatum, leveringsvolgnummer,
                 case soort when 'A' then 1 when 'P' then 2 when 'C' then 3 else 0 end,
                 levering_id
    ) as volgorde
from query_table(bron);

create or replace table levering_volgorde as from levering_volgorde_van('levering');
