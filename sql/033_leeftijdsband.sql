-- Leeftijdsband of an age, as the leerplichttelling reports it. NULL outside 4 up to 23.
create or replace macro leeftijdsband(leeftijd) as
    case when leeftijd = 4 then '4'
         when leeftijd between 5 and 11 then '5-11'
         when leeftijd between 12 and 15 then '12-15'
         when leeftijd between 16 and 17 then '16-17'
         when leeftijd between 18 and 22 then '18-22'
    end;
