-- VSV categorie of a hoofdinschrijving: VO_OB vmbo 1–2 and havo/vwo 1–3 (also
-- with leerjaar empty), VO_BB_VMBO vmbo 3–4, VO_BB_HAVOVWO havo 4–5 and vwo
-- 4–6, MBO_1 / MBO_2 / MBO_34 by niveau, VAVO.
create or replace macro vsv_categorie(onderwijssoort, leerjaar, niveau) as
    case
        when onderwijssoort = 'VMBO' then case when leerjaar >= 3 then 'VO_BB_VMBO' else 'VO_OB' end
        when onderwijssoort in ('HAVO', 'VWO') then case when leerjaar >= 4 then 'VO_BB_HAVOVWO' else 'VO_OB' end
        when onderwijssoort = 'MBO' then case when niveau = 1 then 'MBO_1' when niveau = 2 then 'MBO_2' else 'MBO_34' end
        when onderwijssoort = 'VAVO' then 'VAVO'
    end;
