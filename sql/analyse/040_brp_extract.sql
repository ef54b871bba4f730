-- The BRP extracts as counts only (no resident): per extract its gemeente,
-- date, residents and the last day it was in force. The comparison itself
-- (brp_vergelijking) names residents and stays in the full catalog; in the
-- signal figure a child known only from the BRP has no pseudonym (pgn null).
create table analist.brp_extract as
select gemeentecode, peildatum, personen, geldig_tot
from brp_extract;
