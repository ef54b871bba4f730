-- Vrijstellingen for schooljaar s (1 August s – 31 July s+1), per covered
-- gemeente and artikel: the distinct persons who lived in the gemeente on 1
-- August s with a VRS of that artikel active then, plus those whose VRS of
-- that artikel began within the schooljaar (living in the gemeente on its
-- datum_begin). Every artikel is listed, vervangende leerplicht (3A, 3B) too.
create or replace macro vrijstellingen(s, bekend_op := NULL) as table
with
    v as (select * from beeld_vrijstelling(bekend_op := bekend_op)),
    telt as (
        select w.gemeentecode, v.artikel, v.persoon_nr
        from v join woont_op(schooljaar_begin(s), bekend_op := bekend_op) w using (persoon_nr)
        where actief_op(v.datum_begin, v.datum_einde, schooljaar_begin(s))
        union
        select n.gemeentecode, v.artikel, v.persoon_nr
        from v join verblijf_in_nederland(bekend_op := bekend_op) n
            on n.persoon_nr = v.persoon_nr and actief_op(n.datum_aanvang, n.datum_einde, v.datum_begin)
        where v.datum_begin > schooljaar_begin(s) and v.datum_begin < schooljaar_begin(als_jaar(s) + 1)
    )
select t.gemeentecode, t.artikel, count(distinct t.persoon_nr) as personen
from telt t
join gedekte_gemeenten(schooljaar_begin(s), bekend_op := bekend_op) g using (gemeentecode)
group by t.gemeentecode, t.artikel
order by t.gemeentecode, t.artikel;
