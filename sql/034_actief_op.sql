-- An interval with inclusive ends is active on d: begin <= d and (einde empty
-- or einde >= d). Used for inschrijving, verblijf and vrijstelling alike.
create or replace macro actief_op(begindatum, einddatum, d) as
    begindatum <= d and (einddatum is null or einddatum >= d);
