-- Data quality: a person in a C-levering who is missing from the next
-- C-levering of the same afnemer while the latest picture still has them
-- living in the afnemer's area, aged 4 up to 23, and enrolled or with a
-- vrijstelling on the later peildatum. DUO should have sent a mutation.
create or replace view verdwenen_zonder_mutatie as
with
    c as (
        select levering_id, soort_afnemer, afnemercode,
            lead(levering_id) over w as volgende_levering_id,
            lead(peildatum) over w as volgende_peildatum
        from levering_volgorde
        where soort = 'C'
        window w as (partition by soort_afnemer, afnemercode order by volgorde)
    ),
    weg as (
        select c.soort_afnemer, c.afnemercode, c.volgende_levering_id, c.volgende_peildatum, p.pgn
        from c
        join persoon p on p.levering_id = c.levering_id
        where c.volgende_levering_id is not null
          and not exists (
              select 1 from persoon q where q.levering_id = c.volgende_levering_id and q.pgn = p.pgn
          )
    )
select distinct
    weg.soort_afnemer || weg.afnemercode as afnemer,
    weg.volgende_levering_id as levering_id,
    weg.volgende_peildatum as peildatum,
    weg.pgn,
    n.gemeentecode
from weg
join beeld_persoon() bp using (pgn)
join verblijf_in_nederland() n
    on n.pgn = weg.pgn and actief_op(n.datum_aanvang, n.datum_einde, weg.volgende_peildatum)
left join regio_indeling r
    on r.gemeentecode = n.gemeentecode
   and actief_op(coalesce(r.geldig_vanaf, date '0001-01-01'), r.geldig_tot, weg.volgende_peildatum)
where (
        (weg.soort_afnemer = 'G' and n.gemeentecode = weg.afnemercode)
     or (weg.soort_afnemer = 'R' and r.regiocode = right(weg.afnemercode, 2))
  )
  and leeftijd(bp.geboortedatum, weg.volgende_peildatum) between 4 and 22
  and (
        exists (select 1 from beeld_inschrijving() i
                where i.pgn = weg.pgn and actief_op(i.datum_inschrijving, i.datum_uitschrijving, weg.volgende_peildatum))
     or exists (select 1 from beeld_vrijstelling() v
                where v.pgn = weg.pgn and actief_op(v.datum_begin, v.datum_einde, weg.volgende_peildatum))
  );
