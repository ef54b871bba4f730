-- Residence periods without the address: gemeente, the 4 digits of the
-- postcode, land. A period that began at birth would give the day of birth
-- back; its beginning is reduced to the month, as the geboortedatum is.
create table analist.verblijf as
select p.pseudoniem, b.levering_id, b.gemeentecode, left(b.postcode, 4) as postcode4, b.landcode,
    case when b.datum_aanvang <= g.geboortedatum then cast(date_trunc('month', b.datum_aanvang) as date)
         else b.datum_aanvang end as datum_aanvang,
    b.datum_einde
from beeld_verblijf_alles b
join beeld_persoon_alles g using (persoon_nr)
join temp.pseudoniem p on p.pgn = b.pgn;
