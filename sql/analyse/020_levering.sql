-- The deliveries (no personal data) in the order their pictures supersede
-- each other.
create table analist.levering as
select levering_id, soort, soort_afnemer, afnemercode, peildatum, aanmaakdatum, leveringsvolgnummer, volgorde
from levering_volgorde;
