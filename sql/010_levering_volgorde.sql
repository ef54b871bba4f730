-- The order in which deliveries supersede each other (domain rules, "Which
-- picture of a person counts"): by peildatum, then aanmaakdatum, then
-- leveringsvolgnummer, then soort, A < P < C, so that on a tie the snapshot
-- wins. levering_id only makes the order total.
create or replace view levering_volgorde as
select
    levering_id, soort, soort_afnemer, afnemercode, peildatum, aanmaakdatum, leveringsvolgnummer,
    row_number() over (
        order by peildatum, aanmaakdatum, leveringsvolgnummer,
                 case soort when 'A' then 1 when 'P' then 2 when 'C' then 3 else 0 end,
                 levering_id
    ) as volgorde
from levering;
