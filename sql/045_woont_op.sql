-- Woont in gemeente G op d: a residence period in G (verblijf_in_nederland)
-- active on d. Should two overlap, the most recent datum_aanvang counts.
create or replace macro woont_op(d, bekend_op := NULL) as table
select persoon_nr, pgn, gemeentecode
from (
    select persoon_nr, pgn, gemeente_op(verblijven, d) as gemeentecode
    from tijdlijn(bekend_op := bekend_op)
)
where gemeentecode is not null;
