-- The startkwalificatie rows of each person's latest picture known on bekend_op.
--
-- Everything-loaded (bekend_op NULL) is what almost every question asks, so
-- that picture is stored in the catalog at each refresh; only a question
-- about earlier knowledge reads the lake's Parquet files again.
create or replace table beeld_startkwalificatie_alles as from beeld_rijen('startkwalificatie');

create or replace macro beeld_startkwalificatie(bekend_op := NULL) as table
select * from beeld_startkwalificatie_alles where bekend_op is null
union all
select b.persoon_nr, t.*
from startkwalificatie t
join beeld(bekend_op := bekend_op) b on t.pgn = b.pgn and t.levering_id = b.levering_id
where bekend_op is not null;
