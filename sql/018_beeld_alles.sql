-- Each person's latest picture with everything loaded, made once per catalog
-- refresh (that is, after every ingest): every figure needs it.
--
-- persoon_nr: a dense integer for every pgn in the lake. The rules join a
-- person's rows on it rather than on the 9-character pgn: at national scale
-- (2.5 million persons) that halves the joins that dominate every figure.
-- It is a join key, not an identity, so it is numbered in the order the
-- rows come: numbering in pgn order sorted 2.5 million pgns (0.65 of the
-- build's 1.9 s here).
--
-- The pictures are ordered once, into bouw_versies, for this file and 019
-- (each ordering reads every delivery's persoon file). bouw_persoon: the
-- lake's persoon rows as the full build reads them (crate::catalog).
create or replace temp table bouw_versies as from beeld_versies(bron := 'bouw_persoon');

create or replace table beeld_alles as
select pgn, levering_id, cast(row_number() over () as integer) as persoon_nr, bekend_vanaf, bekend_tot
from bouw_versies
where bekend_tot is null;
