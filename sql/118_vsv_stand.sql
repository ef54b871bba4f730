-- The lake's startpopulatie of teljaar t and each member's stand on day d
-- (domain rules, "Nieuwe voortijdig schoolverlaters"):
--   A  hoofdinschrijving on T0 (1 October t), younger than 22 on T0, living
--      in a covered gemeente on T0;
--   weg               died on or before d, or living abroad on d;
--   in_onderwijs      on d an active inschrijving of any onderwijssoort, or a vrijstelling;
--   startkwalificatie a startkwalificatie on day k.
-- vsv_deelnemers(t) is the stand on T1 with k = 31 December t+1; DUO's
-- monthly rapportages (maandrapportage_vergelijking) are the stand at a
-- month's end with k = d. One rule, so the two never drift apart.
-- volledig/bekend_tot: the gemeente's coverage (gedekte_gemeenten on T0).
create or replace macro vsv_stand(t, d, k, bekend_op := NULL) as table
with
    a as (
        select h.persoon_nr, p.pgn, h.instellingscode, h.categorie, p.overlijdensdatum,
            gemeente_op(p.verblijven, make_date(als_jaar(t), 10, 1)) as gemeentecode,
            p.inschrijvingen, p.vrijstellingen, p.startkwalificatie_sinds
        from hoofdinschrijving(make_date(als_jaar(t), 10, 1), bekend_op := bekend_op) h
        join tijdlijn(bekend_op := bekend_op) p using (persoon_nr)
        where leeftijd(p.geboortedatum, make_date(als_jaar(t), 10, 1)) < 22
    ),
    buitenland as (
        select persoon_nr from woont_in_buitenland_op(d, bekend_op := bekend_op)
    )
select a.persoon_nr, a.pgn, a.gemeentecode, a.instellingscode, a.categorie, g.volledig, g.bekend_tot,
    coalesce(a.overlijdensdatum <= d, false) or a.persoon_nr in (select persoon_nr from buitenland) as weg,
    len(list_filter(a.inschrijvingen, lambda i: actief_op(i.van, i.tot, d))) > 0
        or len(list_filter(a.vrijstellingen, lambda v: is_vrijstelling(v.artikel) and actief_op(v.van, v.tot, d))) > 0
        as in_onderwijs,
    coalesce(a.startkwalificatie_sinds <= k, false) as startkwalificatie
from a
join gedekte_gemeenten(make_date(als_jaar(t), 10, 1), bekend_op := bekend_op) g using (gemeentecode);
