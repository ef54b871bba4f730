-- The gemeente of a person's Dutch residence periods (tijdlijn.verblijven,
-- in order of datum_aanvang) active on d; should two overlap, the most
-- recent datum_aanvang counts. NULL when none is active (abroad, unknown).
create or replace macro gemeente_op(verblijven, d) as
    list_filter(verblijven, lambda v: actief_op(v.van, v.tot, d))[-1].gemeentecode;
