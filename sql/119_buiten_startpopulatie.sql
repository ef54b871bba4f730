-- Why a person the lake knows is not in its startpopulatie of teljaar t
-- (vsv_stand's A), one row per number DUO may use for them (duo_nummers;
-- read it only for numbers outside the startpopulatie):
-- 'woont op T0 buiten de gedekte gemeenten', '22 of ouder op T0', 'geen
-- hoofdinschrijving op T0'. A number with no row here and none in the
-- startpopulatie is 'persoon niet in de lake'. For the comparisons with
-- DUO's own lists and rapportages (vsv_vergelijking,
-- maandrapportage_vergelijking), which must give the same reason alike.
create or replace macro buiten_startpopulatie(t, bekend_op := NULL) as table
select n.nummer as pgn,
    case
        when s.gemeentecode is null or s.gemeentecode not in (
            select gemeentecode from gedekte_gemeenten(make_date(als_jaar(t), 10, 1), bekend_op := bekend_op)
        ) then 'woont op T0 buiten de gedekte gemeenten'
        when s.leeftijd >= 22 then '22 of ouder op T0'
        else 'geen hoofdinschrijving op T0'
    end as reden
from (select nummer, min(persoon_nr) as persoon_nr from duo_nummers(bekend_op := bekend_op) group by nummer) n
left join status_op(make_date(als_jaar(t), 10, 1), bekend_op := bekend_op) s on s.persoon_nr = n.persoon_nr;
