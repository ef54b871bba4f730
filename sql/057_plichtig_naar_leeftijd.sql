-- Leerplichtig or kwalificatieplichtig by age alone on d: from the start of
-- leerplicht until the 18th birthday. The rule for a child DUO does not
-- know (from the BRP): no inschrijving, hence no startkwalificatie.
create or replace macro plichtig_naar_leeftijd(geboortedatum, d) as
    begin_leerplicht(geboortedatum) <= d and d < verjaardag(geboortedatum, 18);
