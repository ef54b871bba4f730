-- A teljaar (vsv(t), vsv_verschillen(t)) or schooljaar (vrijstellingen(s)),
-- checked: a whole number such as 2025. A date is an error that says so
-- (vsv(date '2025-10-01') is a common slip), not DuckDB's "Unimplemented
-- type for cast (DATE -> INTEGER)".
create or replace macro als_jaar(t) as
    case
        when typeof(t) in ('TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT')
            then cast(cast(t as varchar) as integer)
        -- a failing cast rather than error(), which is never folded (001_als_peildatum)
        else cast('this figure is asked for a teljaar or schooljaar: a year such as 2025 (teljaar 2025 = 1 October 2025 to 1 October 2026), not ' || typeof(t) as integer)
    end;
