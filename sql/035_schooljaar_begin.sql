-- First day of schooljaar s (s/s+1): 1 August s.
create or replace macro schooljaar_begin(s) as make_date(cast(s as integer), 8, 1);
