-- Oud-vsv'ers, the Doorstroompunt target group on d: population members
-- alive and living in a gemeente covered on d (volledig), aged 18 to 22, without a
-- startkwalificatie, an active inschrijving or a vrijstelling. Per gemeente and age.
create or replace macro oud_vsv(d, bekend_op := NULL) as table
select s.gemeentecode, s.leeftijd, count(*) as personen
from status_op(als_peildatum(d), bekend_op := bekend_op) s
join gedekte_gemeenten(als_peildatum(d), bekend_op := bekend_op) g using (gemeentecode)
where g.volledig and s.in_leven and s.leeftijd between 18 and 22
  and not s.startkwalificatie and not s.ingeschreven and not s.vrijstelling
group by s.gemeentecode, s.leeftijd
order by s.gemeentecode, s.leeftijd;
