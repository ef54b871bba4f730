-- A VRS artikel that is a vrijstelling: art. 5 onder a, b, c, art. 5a
-- (trekkend bestaan) and art. 15 of the Leerplichtwet 1969.
create or replace macro is_vrijstelling(artikel) as artikel in ('5A', '5B', '5C', '5ATR', '15');
