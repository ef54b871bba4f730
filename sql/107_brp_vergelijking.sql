-- The BRP beside DUO on e (docs/domain-rules.md, "The BRP beside DUO"): for
-- every gemeente covered on e with a BRP extract in force (brp_op), one
-- row per person on whom the two disagree.
--
-- Residents aged 5 up to and including 17 on e (per the BRP, alive):
--   NIET_BIJ_DUO              the BSN is in no delivery known (duo_nummers):
--                             ask DUO with an A-request;
--   ONBEKEND_BIJ_DUO          asked, and an A-levering answered ONB;
--   WOONT_ELDERS_VOLGENS_DUO  in the lake, but DUO's residence on e is
--                             another gemeente, abroad or unknown;
--   NIET_INGESCHREVEN         in the lake, no active inschrijving,
--                             vrijstelling or vervangende leerplicht on e.
-- And DUO's persons aged 5–17 on e whom DUO places in the gemeente but
-- the extract does not hold: NIET_IN_BRP.
--
-- Residents on whom both agree have no row. bsn is the resident's (for
-- NIET_IN_BRP the person's BSN, null with only an onderwijsnummer); pgn is
-- the lake's person (null when DUO does not know them); extractdatum is the
-- date of the extract compared.
create or replace macro brp_vergelijking(e, bekend_op := NULL) as table
with
    gedekt as (
        select gemeentecode from gedekte_gemeenten(als_peildatum(e), bekend_op := bekend_op) where volledig
    ),
    -- the extracts in force on e of the covered gemeenten, read once
    brp as (select b.* from brp_op(e) b join gedekt using (gemeentecode)),
    nummers as (select nummer, min(persoon_nr) as persoon_nr from duo_nummers(bekend_op := bekend_op) group by nummer),
    -- the residents the lake knows, with the person they are
    bekend as (
        select b.bsn, b.gemeentecode, b.peildatum as extractdatum, n.persoon_nr
        from brp b
        join nummers n on n.nummer = b.bsn
        where (b.overlijdensdatum is null or b.overlijdensdatum > als_peildatum(e))
          and leeftijd(b.geboortedatum, als_peildatum(e)) between 5 and 17
    ),
    extracten as (
        select distinct gemeentecode, peildatum as extractdatum from brp
    ),
    status as (select * from status_op(als_peildatum(e), bekend_op := bekend_op)),
    bsns as (select persoon_nr, any_value(bsn) as bsn from beeld_persoon(bekend_op := bekend_op) group by persoon_nr),
    verschillend as (
        select k.bsn, s.pgn, k.gemeentecode, k.extractdatum,
            case
                when s.gemeentecode is distinct from k.gemeentecode then 'WOONT_ELDERS_VOLGENS_DUO'
                when not (s.ingeschreven or s.vrijstelling or s.vervangende_leerplicht) then 'NIET_INGESCHREVEN'
            end as categorie
        from bekend k
        left join status s on s.persoon_nr = k.persoon_nr
    ),
    niet_in_brp as (
        select p.bsn, s.pgn, s.gemeentecode, x.extractdatum, 'NIET_IN_BRP' as categorie
        from status s
        join extracten x using (gemeentecode)
        left join bsns p on p.persoon_nr = s.persoon_nr
        where s.in_leven and s.leeftijd between 5 and 17
          and not exists (
              select 1 from brp b
              join nummers n on n.nummer = b.bsn
              where n.persoon_nr = s.persoon_nr and b.gemeentecode = s.gemeentecode
          )
    )
select bsn, cast(null as varchar) as pgn, gemeentecode, categorie, extractdatum
from brp_alleen_op(e, bekend_op := bekend_op)
where leeftijd(geboortedatum, als_peildatum(e)) between 5 and 17
union all
select bsn, pgn, gemeentecode, categorie, extractdatum from verschillend where categorie is not null
union all
select bsn, pgn, gemeentecode, categorie, extractdatum from niet_in_brp
order by gemeentecode, categorie, bsn, pgn;
