-- The BRP extracts in the lake (`verzuim brp load`), one row per extract:
-- its gemeente, date (peildatum), file, residents, and the last day it is
-- in force. An extract is in force from its date until the day before the
-- next extract of the same gemeente; of two with the same date, the one
-- loaded last (the other's period is empty: geldig_tot before peildatum).
-- geldig_tot null: the gemeente's latest.
create or replace view brp_extract as
with extracten as (
    select extract_id,
        any_value(gemeentecode) as gemeentecode,
        any_value(peildatum) as peildatum,
        any_value(bestand) as bestand,
        any_value(geladen_op) as geladen_op,
        count(*) as personen
    from brp_persoon_alles
    group by extract_id
)
select *,
    cast(lead(peildatum) over (partition by gemeentecode order by peildatum, geladen_op, extract_id) - 1 as date) as geldig_tot
from extracten;
