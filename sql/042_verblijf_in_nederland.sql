-- The residence periods of each person's picture in a Dutch gemeente:
-- VBL records with landcode 6030 (Nederland) and a gemeentecode.
-- eerder: those of every earlier picture (for tijdlijn_eerder).
create or replace macro verblijf_in_nederland(bekend_op := NULL, eerder := false) as table
select persoon_nr, pgn, gemeentecode, datum_aanvang, datum_einde, bekend_vanaf, bekend_tot
from beeld_verblijf(bekend_op := bekend_op, eerder := eerder)
where landcode = '6030' and gemeentecode is not null;
