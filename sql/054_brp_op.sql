-- The residents of every gemeente with a BRP extract in force on d (its
-- latest extract on or before d): the BRP's picture of d.
create or replace macro brp_op(d) as table
select b.*
from brp_persoon_alles b
join brp_extract x using (extract_id)
where x.peildatum <= als_peildatum(d) and (x.geldig_tot is null or x.geldig_tot >= als_peildatum(d));
