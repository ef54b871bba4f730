-- DUO's VSV lists beside the lake's count for teljaar t, person by person
-- (issue 25; docs/analysts.md, "Reconciling DUO's VSV lists"): one row per
-- person in DUO's startpopulatie (the NRSP and NenR lists in use for t,
-- duo_vsv_lijst: a vsv'er is a deelnemer) or in the lake's (vsv_deelnemers).
--   in_startpopulatie  beide / alleen_duo / alleen_berekend
--   vsv                beide / alleen_duo / alleen_berekend / geen
--   reden              for every disagreement, from the lake's picture:
--     not in DUO's list but in ours: why DUO might not count them is DUO's;
--       the row says 'niet in de lijst van DUO';
--     in DUO's startpopulatie, not in ours: 'persoon niet in de lake',
--       'woont op T0 buiten de gedekte gemeenten', '22 of ouder op T0',
--       'geen hoofdinschrijving op T0';
--     vsv'er for DUO, not for the lake: 'in onderwijs op T1' (an active
--       inschrijving or vrijstelling), 'startkwalificatie uiterlijk 31
--       december t+1', 'buitenland of overleden op T1';
--     vsv'er for the lake, not for DUO: 'volgens de lake geen onderwijs op
--       T1 en geen startkwalificatie' (DUO's list knows something the
--       deliveries do not: an inschrijving, a diploma).
-- gemeentecode and instellingscode: the lake's where it counts the person,
-- else DUO's list's.
create or replace macro vsv_vergelijking(t, bekend_op := NULL) as table
with
    lijst as (
        select pgn,
            bool_or(lijst = 'vsv') as vsv,
            any_value(gemeentecode) as gemeentecode,
            any_value(instellingscode) as instellingscode
        from duo_vsv_lijst
        where teljaar = als_jaar(t) and in_gebruik and pgn is not null
        group by pgn
    ),
    ons as (
        select pgn, any_value(gemeentecode) as gemeentecode, any_value(instellingscode) as instellingscode,
            bool_or(berekend) as berekend, bool_or(weg_op_t1) as weg, bool_or(in_onderwijs_op_t1) as in_onderwijs,
            bool_or(startkwalificatie) as startkwalificatie
        from vsv_deelnemers(t, bekend_op := bekend_op)
        group by pgn
    ),
    -- why a person of DUO's startpopulatie is not in the lake's
    ontbrekend as (
        select l.pgn, coalesce(b.reden, 'persoon niet in de lake') as reden
        from lijst l
        left join buiten_startpopulatie(t, bekend_op := bekend_op) b using (pgn)
        where l.pgn not in (select pgn from ons)
    )
select
    coalesce(o.pgn, l.pgn) as pgn,
    coalesce(o.gemeentecode, l.gemeentecode) as gemeentecode,
    coalesce(o.instellingscode, l.instellingscode) as instellingscode,
    case when l.pgn is not null and o.pgn is not null then 'beide' when l.pgn is not null then 'alleen_duo' else 'alleen_berekend' end
        as in_startpopulatie,
    case
        when coalesce(l.vsv, false) and coalesce(o.berekend, false) then 'beide'
        when coalesce(l.vsv, false) then 'alleen_duo'
        when coalesce(o.berekend, false) then 'alleen_berekend'
        else 'geen'
    end as vsv,
    case
        when o.pgn is null then m.reden
        when l.pgn is null then 'niet in de lijst van DUO'
        when l.vsv and not o.berekend then
            case
                when o.weg then 'buitenland of overleden op T1'
                when o.in_onderwijs then 'in onderwijs op T1'
                else 'startkwalificatie uiterlijk 31 december t+1'
            end
        when o.berekend and not l.vsv then 'volgens de lake geen onderwijs op T1 en geen startkwalificatie'
    end as reden
from lijst l
full outer join ons o using (pgn)
left join ontbrekend m on m.pgn = l.pgn
where exists (select 1 from duo_vsv_lijst where teljaar = als_jaar(t))
order by gemeentecode, pgn;
