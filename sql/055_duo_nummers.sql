-- Every number by which the lake knows a person on bekend_op (their pgn and
-- their BSN): a BSN outside this list is "in no delivery" — the test of
-- NIET_BIJ_DUO (docs/domain-rules.md, "The BRP beside DUO").
create or replace macro duo_nummers(bekend_op := NULL) as table
select distinct nummer, persoon_nr
from (
    select pgn as nummer, persoon_nr from beeld_persoon(bekend_op := bekend_op)
    union all
    select bsn, persoon_nr from beeld_persoon(bekend_op := bekend_op) where bsn is not null
);
