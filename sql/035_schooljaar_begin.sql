-- First day of schooljaar s (s/s+1): 1 August s.
create or replace macro schooljaar_begin(s) as make_date(als_jaar(s), 8, 1);
