-- A VRS artikel that is vervangende leerplicht (art. 3a, 3b): not a vrijstelling.
create or replace macro is_vervangende_leerplicht(artikel) as artikel in ('3A', '3B');
