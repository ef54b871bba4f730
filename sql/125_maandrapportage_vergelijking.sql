-- DUO's monthly A-rapportages of month m beside the lake's own stand of
-- that month (issue 25; docs/analysts.md, "DUO's monthly rapportages").
-- The convenantjaar of m is teljaar t whose T0 (1 October t) is the latest
-- on or before m; the stand is vsv_stand(t) at the month's last day, a
-- member "uitgevallen" when not in education, without a startkwalificatie
-- and not gone (died, abroad) — what DUO calls a potentiële vsv'er.
-- Per rapportage loaded for m (the version in use), the lake's set of the
-- same definition:
--   A05  the startset: the startpopulatie of t; DUO's
--        INDICATIE_STARTKWALIFICATIE beside the lake's startkwalificatie at
--        the month's end;
--   A04  the actuele workload: uitgevallen at the month's end;
--   A01  uitgevallen at the month's end, not at the previous month's end
--        (October: at T0, when no member is);
--   A02  uitgevallen at the previous month's end, no longer at this one's.
-- One row per rapportage and person on DUO's rapportage or in the lake's
-- set: op_rapportage beide / alleen_duo / alleen_berekend, and for every
-- disagreement a reden from the lake's picture. A rapportage not loaded
-- for m has no rows; no rapportage at all, no rows.
create or replace macro maandrapportage_vergelijking(m, bekend_op := NULL) as table
with
    stand as (
        select pgn, any_value(gemeentecode) as gemeentecode, any_value(instellingscode) as instellingscode,
            bool_or(weg) as weg, bool_or(in_onderwijs) as in_onderwijs, bool_or(startkwalificatie) as startkwalificatie,
            bool_or(not weg and not in_onderwijs and not startkwalificatie) as uitgevallen
        from vsv_stand(year(m::date) - (month(m::date) < 10)::int, last_day(m::date), last_day(m::date), bekend_op := bekend_op)
        group by pgn
    ),
    vorige as (
        select pgn, bool_or(not weg and not in_onderwijs and not startkwalificatie) as uitgevallen
        from vsv_stand(
            year(m::date) - (month(m::date) < 10)::int,
            greatest(date_trunc('month', m::date)::date - 1, make_date(year(m::date) - (month(m::date) < 10)::int, 10, 1)),
            greatest(date_trunc('month', m::date)::date - 1, make_date(year(m::date) - (month(m::date) < 10)::int, 10, 1)),
            bekend_op := bekend_op
        )
        group by pgn
    ),
    duo as (
        select rapportage, pgn, any_value(gemeentecode) as gemeentecode, any_value(instellingscode) as instellingscode,
            bool_or(indicatie_startkwalificatie) as indicatie_startkwalificatie
        from duo_rapportage
        where in_gebruik and rapportagemaand = date_trunc('month', m::date)::date and pgn is not null
        group by rapportage, pgn
    ),
    lake as (
        select 'A05' as rapportage, pgn from stand
        union all select 'A04', pgn from stand where uitgevallen
        union all select 'A01', s.pgn from stand s left join vorige v using (pgn) where s.uitgevallen and not coalesce(v.uitgevallen, false)
        union all select 'A02', s.pgn from stand s join vorige v using (pgn) where v.uitgevallen and not s.uitgevallen
    ),
    paren as (
        select coalesce(d.rapportage, l.rapportage) as rapportage, coalesce(d.pgn, l.pgn) as pgn,
            d.pgn is not null as bij_duo, l.pgn is not null as bij_lake,
            d.gemeentecode, d.instellingscode, d.indicatie_startkwalificatie
        from duo d
        full outer join (select * from lake where rapportage in (select rapportage from duo)) l using (rapportage, pgn)
    )
select
    p.rapportage,
    date_trunc('month', m::date)::date as maand,
    p.pgn,
    coalesce(s.gemeentecode, p.gemeentecode) as gemeentecode,
    coalesce(s.instellingscode, p.instellingscode) as instellingscode,
    case when p.bij_duo and p.bij_lake then 'beide' when p.bij_duo then 'alleen_duo' else 'alleen_berekend' end as op_rapportage,
    case
        when not p.bij_duo then 'niet op de rapportage van DUO'
        when s.pgn is null then coalesce(b.reden, 'persoon niet in de lake')
        when p.rapportage = 'A05' and p.indicatie_startkwalificatie and not s.startkwalificatie
            then 'startkwalificatie alleen volgens DUO'
        when p.rapportage = 'A05' and not p.indicatie_startkwalificatie and s.startkwalificatie
            then 'startkwalificatie alleen volgens de lake'
        when p.bij_lake then null
        when p.rapportage in ('A01', 'A04') and s.weg then 'buitenland of overleden aan het eind van de maand'
        when p.rapportage in ('A01', 'A04') and s.in_onderwijs then 'in onderwijs aan het eind van de maand'
        when p.rapportage in ('A01', 'A04') and s.startkwalificatie then 'startkwalificatie aan het eind van de maand'
        when p.rapportage = 'A01' then 'volgens de lake al uitgevallen aan het eind van de vorige maand'
        when p.rapportage = 'A02' and s.uitgevallen then 'volgens de lake nog uitgevallen aan het eind van de maand'
        when p.rapportage = 'A02' then 'volgens de lake niet uitgevallen aan het eind van de vorige maand'
    end as reden
from paren p
left join stand s using (pgn)
left join (
    select * from buiten_startpopulatie(year(m::date) - (month(m::date) < 10)::int, bekend_op := bekend_op)
    where exists (select 1 from duo)
) b using (pgn)
order by p.rapportage, gemeentecode, p.pgn;
