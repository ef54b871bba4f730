-- The day a figure is asked for (leerplichttelling(d), absoluut_verzuim_signalen(d),
-- oud_vsv(d)), checked: a date, or text that reads as one ('2026-10-01').
-- Another kind of argument is an error that says what the figure takes,
-- instead of DuckDB's "Cannot compare DATE and INTEGER" from deep inside a
-- rule. (The detour through text keeps DuckDB from refusing, while binding,
-- a cast from a type that never reaches it.)
create or replace macro als_peildatum(d) as
    case
        when typeof(d) in ('DATE', 'VARCHAR') then cast(cast(d as varchar) as date)
        when typeof(d) like 'TIMESTAMP%' then cast(left(cast(d as varchar), 10) as date)
        -- a cast that fails, not error(): error() is never folded to a
        -- constant, and this expression is evaluated inside the rules'
        -- per-row lambdas (it made absoluut_verzuim_signalen twice as slow)
        else cast('this figure is asked for a day: a date such as date ''2026-10-01'', not ' || typeof(d) as date)
    end;
