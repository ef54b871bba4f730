-- The signals of absoluut verzuim on d that may be a summer school switch.
-- DUO warns that absoluut verzuim comes out too high at the start of a
-- schooljaar: a pupil changing school is uitgeschreven by the old school
-- before the new one enrols them. Such a signal is UITGESCHREVEN, its last
-- uitschrijving fell between 1 July and 1 October (inclusive) of its year,
-- and that uitschrijving's reden is 02 (overstap naar ander onderwijs) or
-- not given (a header CSV may lack the column). The worklist marks these
-- signals `zomerwissel` until a configurable day and keeps them: a marked
-- signal is still a child without a school until the new one reports.
create or replace macro zomerwissel(d, bekend_op := NULL) as table
with
    s as (
        select pgn, gemeentecode
        from absoluut_verzuim_signalen(d, bekend_op := bekend_op)
        where categorie = 'UITGESCHREVEN'
    ),
    u as (
        select pgn, datum_uitschrijving,
            coalesce(nullif(trim(reden_uitschrijving), ''), '02') = '02' as overstap_of_onbekend
        from beeld_inschrijving(bekend_op := bekend_op)
        where datum_uitschrijving < als_peildatum(d) and pgn in (select pgn from s)
    ),
    laatste as (
        select pgn, max(datum_uitschrijving) as laatste_uitschrijving from u group by pgn
    )
select s.pgn, s.gemeentecode, l.laatste_uitschrijving
from s
join laatste l using (pgn)
join u on u.pgn = s.pgn and u.datum_uitschrijving = l.laatste_uitschrijving
where (month(l.laatste_uitschrijving) between 7 and 9
       or (month(l.laatste_uitschrijving) = 10 and day(l.laatste_uitschrijving) = 1))
group by s.pgn, s.gemeentecode, l.laatste_uitschrijving
having bool_or(u.overstap_of_onbekend)
order by s.gemeentecode, l.laatste_uitschrijving, s.pgn;
