-- The gemeente → Doorstroompunt-regio table with its validity: the shipped
-- table (open start) and every version adopted with `verzuim reference load
-- … --regio-vanaf DATUM`. Each version holds until the day before the next
-- one begins; the newest is open-ended.
create or replace table regio_indeling as
with
    versies as (
        select gemeentecode, gemeentenaam, regiocode, regionaam, cast(null as date) as geldig_vanaf
        from regio_indeling_geleverd
        union all
        select gemeentecode, gemeentenaam, regiocode, regionaam, geldig_vanaf
        from regio_indeling_aangenomen
    ),
    begin_data as (select distinct geldig_vanaf from versies where geldig_vanaf is not null)
select
    v.gemeentecode, v.gemeentenaam, v.regiocode, v.regionaam, v.geldig_vanaf,
    cast((select min(b.geldig_vanaf) from begin_data b
          where b.geldig_vanaf > coalesce(v.geldig_vanaf, date '0001-01-01')) - 1 as date) as geldig_tot
from versies v;
