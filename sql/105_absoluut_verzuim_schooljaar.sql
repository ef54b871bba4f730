-- Absoluut verzuim over schooljaar s (the yearly Leerplichttelling,
-- Leerplichtwet art. 25; docs/domain-rules.md): one row per person counted.
--
-- A person counts when on at least one day D of s (1 August s – 31 July
-- s+1, as far as the lake knows: the last day is the last peildatum known
-- when that is earlier) the signal rule holds (status_per_dag:
-- absoluut_verzuim) while they are 5 up to and including 17 and live in a
-- gemeente covered on D; they count in the gemeente where they live on the
-- last day, and only when one such D was spent living there (moved away:
-- the old gemeente does not count them). Died, abroad or with a
-- startkwalificatie on the last day: not counted.
--
-- Status changes only on the days status_per_dag lists, so the days
-- between two of them are one stretch: eerste_dag and laatste_dag are the
-- first and last day of verzuim in s in that gemeente. The onderwijssoort
-- is that of the inschrijving that ended last on or before laatste_dag
-- (latest datum_uitschrijving, then datum_inschrijving).
--
-- The children DUO does not know (herkomst 'brp', pgn their BSN,
-- onderwijssoort 'geen onderwijs'): a resident of a BRP extract in force
-- on D (brp_extract's periods) whom no delivery known shows (duo_nummers)
-- is an absoluut verzuimer on D when leerplichtig by age
-- (plichtig_naar_leeftijd) and alive; counted in the gemeente whose
-- extract in force on the last day holds them, alive then.
create or replace macro absoluut_verzuim_schooljaar(s, bekend_op := NULL) as table
with
    jaar as (
        select
            schooljaar_begin(s) as begin_s,
            least(
                make_date(als_jaar(s) + 1, 7, 31),
                (select max(peildatum) from levering_volgorde
                 where peildatum <= coalesce(cast(bekend_op as date), date '9999-12-31'))
            ) as laatste
    ),
    gedekt as (
        select g.gemeentecode, g.gedekt_vanaf
        from gedekte_gemeenten((select laatste from jaar), bekend_op := bekend_op) g
        where g.gedekt_vanaf is not null
    ),
    -- the whole schooljaar (status_per_dag's days are constants: they reach
    -- its lambdas), cut at the last day known, which is one of the days
    jaar_dagen as (
        select s.*
        from status_per_dag(
            schooljaar_begin(s), make_date(als_jaar(s) + 1, 7, 31), bekend_op := bekend_op,
            extra := (select [laatste] from jaar) || (select coalesce(list(distinct gedekt_vanaf), []) from gedekt)
        ) s
        where s.dag <= (select laatste from jaar)
    ),
    dagen as (
        select d.*, coalesce(lead(d.dag) over (partition by d.persoon_nr order by d.dag) - 1, (select laatste from jaar)) as tot
        from jaar_dagen d
    ),
    verzuim as (
        select d.persoon_nr, d.pgn, d.gemeentecode, min(d.dag) as eerste_dag, max(d.tot) as laatste_dag
        from dagen d
        join gedekt g on g.gemeentecode = d.gemeentecode and g.gedekt_vanaf <= d.dag
        where d.absoluut_verzuim and d.leeftijd between 5 and 17
        group by d.persoon_nr, d.pgn, d.gemeentecode
    ),
    einde as (
        select persoon_nr, gemeentecode, in_leven, startkwalificatie
        from jaar_dagen
        where dag = (select laatste from jaar)
    ),
    brp_dagen as (
        select b.bsn, b.gemeentecode,
            greatest(x.peildatum, schooljaar_begin(s), g.gedekt_vanaf, begin_leerplicht(b.geboortedatum)) as van,
            least(coalesce(x.geldig_tot, (select laatste from jaar)), (select laatste from jaar),
                cast(verjaardag(b.geboortedatum, 18) - 1 as date), coalesce(b.overlijdensdatum - 1, (select laatste from jaar))) as tot
        from brp_persoon_alles b
        join brp_extract x using (extract_id)
        join gedekt g on g.gemeentecode = b.gemeentecode
        where b.bsn not in (select nummer from duo_nummers(bekend_op := bekend_op))
    ),
    brp_verzuim as (
        select bsn, gemeentecode, min(van) as eerste_dag, max(tot) as laatste_dag
        from brp_dagen
        where van <= tot
        group by bsn, gemeentecode
    ),
    brp_einde as (
        select bsn, gemeentecode
        from brp_op((select laatste from jaar))
        where overlijdensdatum is null or overlijdensdatum > (select laatste from jaar)
    ),
    laatst_gevolgd as (
        select v.persoon_nr,
            arg_max(i.onderwijssoort, (i.datum_uitschrijving, i.datum_inschrijving)) as onderwijssoort
        from verzuim v
        join beeld_inschrijving(bekend_op := bekend_op) i
            on i.persoon_nr = v.persoon_nr and i.datum_uitschrijving <= v.laatste_dag
        group by v.persoon_nr
    )
select
    v.pgn,
    p.bsn,
    v.gemeentecode,
    case
        when l.onderwijssoort is null then 'geen onderwijs'
        when l.onderwijssoort in ('PO', 'SBO') then 'po'
        when l.onderwijssoort in ('SO', 'VSO') then 'so/vso'
        when l.onderwijssoort in ('PRO', 'VMBO', 'HAVO', 'VWO', 'VAVO') then 'vo'
        when l.onderwijssoort = 'MBO' then 'mbo'
        else 'onbekend'
    end as onderwijssoort,
    v.eerste_dag,
    v.laatste_dag,
    'duo' as herkomst
from verzuim v
join einde e on e.persoon_nr = v.persoon_nr and e.gemeentecode = v.gemeentecode
left join laatst_gevolgd l on l.persoon_nr = v.persoon_nr
left join (select persoon_nr, any_value(bsn) as bsn from beeld_persoon(bekend_op := bekend_op) group by persoon_nr) p
    on p.persoon_nr = v.persoon_nr
where e.in_leven and not e.startkwalificatie
  and v.persoon_nr not in (select persoon_nr from woont_in_buitenland_op((select laatste from jaar), bekend_op := bekend_op))
union all
select v.bsn, v.bsn, v.gemeentecode, 'geen onderwijs', v.eerste_dag, v.laatste_dag, 'brp'
from brp_verzuim v
join brp_einde e using (bsn, gemeentecode)
order by gemeentecode, pgn;
