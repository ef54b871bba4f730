-- The residence periods of each person's picture in a Dutch gemeente:
-- VBL records with landcode 6030 (Nederland) and a gemeentecode.
create or replace macro verblijf_in_nederland(bekend_op := NULL) as table
select persoon_nr, pgn, gemeentecode, datum_aanvang, datum_einde
from beeld_verblijf(bekend_op := bekend_op)
where landcode = '6030' and gemeentecode is not null;
