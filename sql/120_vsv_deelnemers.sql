-- The VSV count for teljaar t, person by person (teldatum T0 = 1 October t,
-- T1 = 1 October t+1):
--   A  hoofdinschrijving on T0, younger than 22 on T0, living in a covered gemeente on T0;
--   B  died on or before T1, or living abroad on T1;
--   C  on T1 an active inschrijving of any onderwijssoort, or a vrijstelling;
--   D  a startkwalificatie on 31 December t+1 (includes the verlate startkwalificatie);
--   berekend = A − B − C − D; duo = DUO's own indicator (a VSV record with teldatum T1).
-- Gemeente and regio by residence on T0; instelling and categorie by the hoofdinschrijving on T0.
create or replace macro vsv_deelnemers(t, bekend_op := NULL) as table
with
    a as (
        select h.pgn, h.instellingscode, h.categorie, w.gemeentecode, p.overlijdensdatum
        from hoofdinschrijving(make_date(cast(t as integer), 10, 1), bekend_op := bekend_op) h
        join beeld_persoon(bekend_op := bekend_op) p using (pgn)
        join woont_op(make_date(cast(t as integer), 10, 1), bekend_op := bekend_op) w using (pgn)
        join gedekte_gemeenten(make_date(cast(t as integer), 10, 1), bekend_op := bekend_op) g using (gemeentecode)
        where leeftijd(p.geboortedatum, make_date(cast(t as integer), 10, 1)) < 22
    ),
    b as (
        select pgn from a where overlijdensdatum <= make_date(cast(t as integer) + 1, 10, 1)
        union
        select pgn from woont_in_buitenland_op(make_date(cast(t as integer) + 1, 10, 1), bekend_op := bekend_op)
    ),
    c as (
        select pgn from actieve_inschrijving(make_date(cast(t as integer) + 1, 10, 1), bekend_op := bekend_op)
        union
        select pgn from actieve_vrijstelling(make_date(cast(t as integer) + 1, 10, 1), bekend_op := bekend_op)
        where is_vrijstelling
    ),
    dd as (select pgn from startkwalificatie_op(make_date(cast(t as integer) + 1, 12, 31), bekend_op := bekend_op)),
    duo as (
        select distinct pgn from beeld_vsv_indicatie(bekend_op := bekend_op)
        where teldatum = make_date(cast(t as integer) + 1, 10, 1)
    )
select
    a.pgn,
    r.regiocode,
    a.gemeentecode,
    a.instellingscode,
    a.categorie,
    a.pgn not in (select pgn from b) and a.pgn not in (select pgn from c) and a.pgn not in (select pgn from dd) as berekend,
    a.pgn in (select pgn from duo) as duo
from a
left join regio_op(make_date(cast(t as integer), 10, 1)) r using (gemeentecode);
