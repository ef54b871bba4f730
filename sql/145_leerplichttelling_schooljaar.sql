-- The yearly Leerplichttelling (art. 25) of schooljaar s, per covered
-- gemeente, as DUO's form asks it: the absoluut verzuimers per
-- onderwijssoort and in total (absoluut_verzuim_schooljaar), the
-- vrijstellingen per artikel and vervangende leerplicht (vrijstellingen),
-- relatief verzuim — which schools report, not DUO: "niet in DUO-gegevens",
-- never 0 — and the BBV beleidsindicatoren: absoluut verzuim per 1,000
-- inhabitants aged 5–17 on 1 October s, and the vsv-percentage of the VO
-- and MBO deelnemers of teljaar s (vsv, without VAVO).
--
-- The inhabitants aged 5–17 on 1 October s come from the gemeente's BRP
-- extract in force that day where there is one (noemer 'brp'); else they
-- are the persons the lake knows living in the gemeente (noemer 'personen
-- in de lake'): DUO delivers only who is enrolled or has a vrijstelling,
-- so that denominator is smaller than the BRP's and the rate higher. The
-- column says which was used.
create or replace macro leerplichttelling_schooljaar(s, bekend_op := NULL) as table
with
    gemeenten as (
        select gemeentecode
        from gedekte_gemeenten(make_date(als_jaar(s) + 1, 7, 31), bekend_op := bekend_op)
        where gedekt_vanaf is not null
    ),
    verzuimers as (
        select gemeentecode,
            count(*) filter (where onderwijssoort = 'po') as po,
            count(*) filter (where onderwijssoort = 'so/vso') as so_vso,
            count(*) filter (where onderwijssoort = 'vo') as vo,
            count(*) filter (where onderwijssoort = 'mbo') as mbo,
            count(*) filter (where onderwijssoort = 'onbekend') as onbekend,
            count(*) filter (where onderwijssoort = 'geen onderwijs') as geen_onderwijs,
            count(*) as absoluut_verzuim
        from absoluut_verzuim_schooljaar(s, bekend_op := bekend_op)
        group by gemeentecode
    ),
    vrij as (
        select gemeentecode,
            sum(personen) filter (where artikel = '5A') as vrijstelling_5a,
            sum(personen) filter (where artikel = '5B') as vrijstelling_5b,
            sum(personen) filter (where artikel = '5C') as vrijstelling_5c,
            sum(personen) filter (where artikel = '5ATR') as vrijstelling_5atr,
            sum(personen) filter (where artikel = '15') as vrijstelling_15,
            sum(personen) filter (where artikel = '3A') as vervangende_leerplicht_3a,
            sum(personen) filter (where artikel = '3B') as vervangende_leerplicht_3b
        from vrijstellingen(s, bekend_op := bekend_op)
        group by gemeentecode
    ),
    inwoners_lake as (
        select gemeentecode, count(*) as inwoners_5_17
        from status_op(make_date(als_jaar(s), 10, 1), bekend_op := bekend_op)
        where in_leven and leeftijd between 5 and 17
        group by gemeentecode
    ),
    inwoners_brp as (
        select gemeentecode,
            count(*) filter (
                where leeftijd(geboortedatum, make_date(als_jaar(s), 10, 1)) between 5 and 17
                  and (overlijdensdatum is null or overlijdensdatum > make_date(als_jaar(s), 10, 1))
            ) as inwoners_5_17
        from brp_op(make_date(als_jaar(s), 10, 1))
        group by gemeentecode
    ),
    inwoners as (
        select g.gemeentecode,
            coalesce(b.inwoners_5_17, l.inwoners_5_17, 0) as inwoners_5_17,
            case when b.gemeentecode is not null then 'brp' else 'personen in de lake' end as noemer
        from gemeenten g
        left join inwoners_brp b using (gemeentecode)
        left join inwoners_lake l using (gemeentecode)
    ),
    vsv_vo_mbo as (
        select gemeentecode, sum(deelnemers) as deelnemers, sum(vsv) as vsv
        from vsv(s, bekend_op := bekend_op)
        where categorie <> 'VAVO'
        group by gemeentecode
    )
select
    g.gemeentecode,
    coalesce(v.po, 0) as po,
    coalesce(v.so_vso, 0) as so_vso,
    coalesce(v.vo, 0) as vo,
    coalesce(v.mbo, 0) as mbo,
    coalesce(v.onbekend, 0) as onbekend,
    coalesce(v.geen_onderwijs, 0) as geen_onderwijs,
    coalesce(v.absoluut_verzuim, 0) as absoluut_verzuim,
    coalesce(f.vrijstelling_5a, 0) as vrijstelling_5a,
    coalesce(f.vrijstelling_5b, 0) as vrijstelling_5b,
    coalesce(f.vrijstelling_5c, 0) as vrijstelling_5c,
    coalesce(f.vrijstelling_5atr, 0) as vrijstelling_5atr,
    coalesce(f.vrijstelling_15, 0) as vrijstelling_15,
    coalesce(f.vervangende_leerplicht_3a, 0) as vervangende_leerplicht_3a,
    coalesce(f.vervangende_leerplicht_3b, 0) as vervangende_leerplicht_3b,
    'niet in DUO-gegevens' as relatief_verzuim,
    coalesce(i.inwoners_5_17, 0) as inwoners_5_17,
    i.noemer,
    round(1000.0 * coalesce(v.absoluut_verzuim, 0) / nullif(i.inwoners_5_17, 0), 2) as absoluut_verzuim_per_1000,
    round(100.0 * m.vsv / nullif(m.deelnemers, 0), 2) as vsv_percentage_vo_mbo
from gemeenten g
left join verzuimers v using (gemeentecode)
left join vrij f using (gemeentecode)
left join inwoners i using (gemeentecode)
left join vsv_vo_mbo m using (gemeentecode)
order by g.gemeentecode;
