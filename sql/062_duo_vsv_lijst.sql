-- DUO's own VSV lists (`verzuim lijst load`, or recognised by ingest), one
-- row per row of a list: the startpopulatie (NRSP, lijst 'startpopulatie')
-- and the nieuwe vsv'ers (NenR, lijst 'vsv') of teljaar t, voorlopig or
-- definitief, per receiver (ontvanger: I + BRIN, R/G + code, from the file
-- name). pgn is the BSN, else the onderwijsnummer; nummer_geldig false when
-- it fails the 11-proef (kept: the list is DUO's). A definitief list
-- supersedes the voorlopige of the same teljaar, list and receiver for the
-- comparison (in_gebruik); both stay here.
create or replace view duo_vsv_lijst as
select
    teljaar, status, lijst, pgn, gemeentecode, regiocode, instellingscode, vestigingsvolgnummer, niveau,
    onderwijssoort, opleidingscode, examen, ind_bekostiging, nummer_geldig, ontvanger, bestand, regel, lijst_id,
    status = 'definitief'
        or not bool_or(status = 'definitief') over (partition by teljaar, lijst, ontvanger) as in_gebruik
from duo_vsv_lijst_alles;
