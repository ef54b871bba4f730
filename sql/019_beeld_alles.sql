-- The picture with everything loaded, made once per catalog refresh (that
-- is, after every ingest): every figure without bekend_op needs it several
-- times, and recomputing it each time doubled their cost.
create or replace table beeld_alles as select * from beeld_berekend();
