-- Leerplichttelling on d: per gemeente covered on d (volledig: from its first
-- C-levering on, gedekte_gemeenten) and leeftijdsband, the
-- population members alive and living there on d, aged 4 up to 23, and how
-- many of them are leerplichtig, kwalificatieplichtig, ingeschreven, have a
-- vrijstelling or vervangende leerplicht, or are potentieel absoluut verzuim.
create or replace macro leerplichttelling(d, bekend_op := NULL) as table
select
    s.gemeentecode,
    r.regiocode,
    leeftijdsband(s.leeftijd) as leeftijdsband,
    count(*) as personen,
    count(*) filter (where s.leerplichtig) as leerplichtig,
    count(*) filter (where s.kwalificatieplichtig) as kwalificatieplichtig,
    count(*) filter (where s.ingeschreven) as ingeschreven,
    count(*) filter (where s.vrijstelling) as vrijstelling,
    count(*) filter (where s.vervangende_leerplicht) as vervangende_leerplicht,
    count(*) filter (where s.absoluut_verzuim) as absoluut_verzuim
from status_op(als_peildatum(d), bekend_op := bekend_op) s
join gedekte_gemeenten(als_peildatum(d), bekend_op := bekend_op) g using (gemeentecode)
left join regio_op(als_peildatum(d)) r using (gemeentecode)
where g.volledig and s.in_leven and s.leeftijd between 4 and 22
group by s.gemeentecode, r.regiocode, leeftijdsband(s.leeftijd)
order by s.gemeentecode, min(s.leeftijd);
