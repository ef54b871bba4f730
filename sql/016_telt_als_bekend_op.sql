-- The bitemporal rule, written once: a picture of a person that was the
-- latest known from bekend_vanaf until (not including) bekend_tot — NULL:
-- it still is — is the one that counts as known on bekend_op; with
-- bekend_op NULL (everything loaded) only a picture that still is counts.
--
-- Why intervals: every picture a person has had is stored with the days it
-- was the latest (beeld_versies), so a figure "as known on K" filters the
-- stored pictures instead of recomputing them from the lake (issue 15).
create or replace macro telt_als_bekend_op(bekend_vanaf, bekend_tot, bekend_op) as
    case
        when bekend_op is null then bekend_tot is null
        else bekend_vanaf <= cast(bekend_op as date)
             and (bekend_tot is null or cast(bekend_op as date) < bekend_tot)
    end;
