-- Where the lake is, for every view over its files: a lake that is copied
-- or restored elsewhere must open without a rebuild (issue 16), so no view
-- holds an absolute path.
--
-- verzuim sets the variable `verzuim_lake` on each connection it opens (it
-- knows the lake). A plain DuckDB client opening this file gets the folder
-- the catalog file is in: DuckDB puts a database's temporary directory
-- beside its file (`<file>.tmp`), whatever the working directory, and the
-- catalog lives in the lake's root. An analyst who attaches the catalog
-- under another database, or has moved DuckDB's temporary directory, says
-- where the lake is: `set variable verzuim_lake = '/path/to/lake';`.
--
-- Applied before the lake views (files 000–004 need no table).
create or replace macro lake_map() as
    coalesce(
        getvariable('verzuim_lake'),
        nullif(parse_dirpath(current_setting('temp_directory')), ''),
        '.'
    );
