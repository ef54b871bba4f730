-- The residents of a BRP extract in force on d (brp_op), in a gemeente
-- covered on d and alive on d, whom no delivery known on bekend_op shows
-- (duo_nummers): the children DUO does not know. NIET_BIJ_DUO, or
-- ONBEKEND_BIJ_DUO when an A-levering answered ONB for the number.
-- brp_vergelijking lists them (aged 5–17), and those leerplichtig by age
-- are absoluut-verzuimsignalen and count in the yearly Leerplichttelling.
create or replace macro brp_alleen_op(d, bekend_op := NULL) as table
select b.bsn, b.gemeentecode, b.geboortedatum, b.peildatum as extractdatum,
    case when b.bsn in (select nummer from onbekend_bij_duo(bekend_op := bekend_op)) then 'ONBEKEND_BIJ_DUO' else 'NIET_BIJ_DUO' end
        as categorie
from brp_op(d) b
join gedekte_gemeenten(als_peildatum(d), bekend_op := bekend_op) g on g.gemeentecode = b.gemeentecode and g.volledig
where (b.overlijdensdatum is null or b.overlijdensdatum > als_peildatum(d))
  and b.bsn not in (select nummer from duo_nummers(bekend_op := bekend_op));
