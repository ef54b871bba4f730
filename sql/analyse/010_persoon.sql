-- Each person's picture with everything loaded, without identity: the
-- pseudonym instead of the pgn; no bsn, onderwijsnummer or names; the
-- geboortedatum and overlijdensdatum to year and month. Columns are listed,
-- not taken with *, so that a field a future layout adds is not copied
-- here unseen.
create table analist.persoon as
select p.pseudoniem, b.levering_id,
    strftime(b.geboortedatum, '%Y-%m') as geboortemaand,
    b.geslacht,
    strftime(b.overlijdensdatum, '%Y-%m') as overlijdensmaand
from beeld_persoon_alles b
join temp.pseudoniem p using (pgn);
