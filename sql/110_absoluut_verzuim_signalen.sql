-- Potentieel absoluut verzuim on d, one row per person in a gemeente covered on d (volledig):
-- leerplichtig or kwalificatieplichtig, and on d no active inschrijving, no
-- vrijstelling and no vervangende leerplicht. NOOIT_INGESCHREVEN when the
-- picture has no inschrijving at all, else UITGESCHREVEN; sinds = the day
-- after the last uitschrijving, or begin leerplicht when that is later.
--
-- And the children DUO does not know (brp_alleen_op: in a BRP extract in
-- force on d, in no delivery) who are leerplichtig by age on d: categorie
-- NIET_BIJ_DUO or ONBEKEND_BIJ_DUO, pgn their BSN, sinds the extract's date
-- or begin leerplicht when that is later.
create or replace macro absoluut_verzuim_signalen(d, bekend_op := NULL) as table
select * from (
select
    s.pgn,
    s.gemeentecode,
    case when s.nooit_ingeschreven then 'NOOIT_INGESCHREVEN' else 'UITGESCHREVEN' end as categorie,
    cast(greatest(coalesce(s.laatste_uitschrijving + 1, s.begin_leerplicht), s.begin_leerplicht) as date) as sinds
from status_op(als_peildatum(d), bekend_op := bekend_op) s
join gedekte_gemeenten(als_peildatum(d), bekend_op := bekend_op) g using (gemeentecode)
where g.volledig and s.absoluut_verzuim
union all
select b.bsn, b.gemeentecode, b.categorie, cast(greatest(b.extractdatum, begin_leerplicht(b.geboortedatum)) as date)
from brp_alleen_op(d, bekend_op := bekend_op) b
where plichtig_naar_leeftijd(b.geboortedatum, als_peildatum(d))
)
order by gemeentecode, sinds, pgn;
