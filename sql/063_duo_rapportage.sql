-- DUO's monthly A-rapportages (issue 25; crate::lijst, docs/analysts.md):
-- one row per row of a loaded rapportage, each month its own version.
--   rapportagemaand   the month the file reports on (first day), from
--                     --maand, its name or its rows;
--   maand_in_bestand  the row's own RAPPORTAGE_MAAND (a cumulative A04
--                     repeats earlier months' rows); maand_afwijkend where
--                     it lies after rapportagemaand, or — not cumulative —
--                     in another month (decided and said by the load);
--   in_gebruik        of the versions of one rapportage, month and
--                     receiver, the one loaded last (a corrected file
--                     replaces the earlier; both stay queryable).
create or replace view duo_rapportage as
select r.*,
    r.rapportage_id = arg_max(r.rapportage_id, r.geladen_op || r.rapportage_id)
        over (partition by r.rapportage, r.rapportagemaand, r.ontvanger) as in_gebruik
from duo_rapportage_alles r;
