"""Opens verzuim's catalog and lake with the tools analysts have, for
tests/clients.rs, and prints what they see as JSON on standard output.

    clients.py figures CATALOG QUERIES.json
        every query's rows, each value cast to text by DuckDB itself (so that
        versions compare value for value), in whichever `duckdb` Python
        package is on the path: the test runs it with 1.4, 1.5 and 2.0
    clients.py lake LAKE TABLE...
        per lake table, the row count and column types as polars
        (scan_parquet, hive partitioning) and pyarrow (dataset, hive
        partitioning) read them, in DuckDB's type names

The reading code is the code docs/lake.md shows analysts.
"""

import json
import sys
from pathlib import Path


def figures(catalog, queries_file):
    import duckdb

    con = duckdb.connect(catalog, read_only=True)
    answers = {}
    for query in json.loads(Path(queries_file).read_text()):
        try:
            rows = con.sql(f"select columns(*)::varchar from ({query})").fetchall()
            answers[query] = sorted("|".join("∅" if v is None else v for v in row) for row in rows)
        except Exception as e:  # the test names the query and the version
            answers[query] = {"error": str(e)}
    return {"version": duckdb.__version__, "answers": answers}


def polars_type(t):
    import polars as pl

    if isinstance(t, pl.Datetime):
        return "TIMESTAMP WITH TIME ZONE" if t.time_zone else "TIMESTAMP"
    return {
        pl.String: "VARCHAR",
        pl.Date: "DATE",
        pl.Int32: "INTEGER",
        pl.Int64: "BIGINT",
        pl.Boolean: "BOOLEAN",
        pl.Float64: "DOUBLE",
    }.get(t, repr(t))


def arrow_type(t):
    import pyarrow as pa

    if pa.types.is_dictionary(t):
        t = t.value_type
    if pa.types.is_timestamp(t):
        return "TIMESTAMP WITH TIME ZONE" if t.tz else "TIMESTAMP"
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return "VARCHAR"
    return {"date32[day]": "DATE", "int32": "INTEGER", "int64": "BIGINT", "bool": "BOOLEAN", "double": "DOUBLE"}.get(
        str(t), str(t)
    )


# folders of one Parquet file per loaded file, <folder>/<group>/<file>.parquet
FILE_TABLES = ("brp", "duo_lijsten", "duo_rapportages")


def lake(lake_dir, tables):
    import polars as pl
    import pyarrow as pa
    import pyarrow.dataset as ds

    out = {}
    for table in tables:
        if table in FILE_TABLES:
            # BRP extracts, DUO's lists and rapportages: one file each, every column in the file
            lf = pl.scan_parquet(f"{lake_dir}/{table}/*/*.parquet")
            schema = lf.collect_schema()
            dataset = ds.dataset(sorted(str(p) for p in Path(lake_dir, table).glob("*/*.parquet")), format="parquet")
            out[table] = {
                "polars": {"rows": lf.select(pl.len()).collect().item(), "columns": {n: polars_type(t) for n, t in schema.items()}},
                "pyarrow": {"rows": dataset.count_rows(), "columns": {f.name: arrow_type(f.type) for f in dataset.schema}},
            }
            continue
        # polars: the partition columns from the path, dates parsed
        lf = pl.scan_parquet(f"{lake_dir}/leveringen/**/{table}.parquet", hive_partitioning=True)
        schema = lf.collect_schema()
        polars = {
            "rows": lf.select(pl.len()).collect().item(),
            "columns": {name: polars_type(t) for name, t in schema.items()},
        }
        # pyarrow: the same, with the partition schema written out
        partitioning = ds.partitioning(
            pa.schema([("soort", pa.string()), ("afnemer", pa.string()), ("peildatum", pa.date32())]),
            flavor="hive",
        )
        files = sorted(str(p) for p in Path(lake_dir, "leveringen").glob(f"*/*/*/*/{table}.parquet"))
        dataset = ds.dataset(files, format="parquet", partitioning=partitioning, partition_base_dir=f"{lake_dir}/leveringen")
        pyarrow = {
            "rows": dataset.count_rows(),
            "columns": {f.name: arrow_type(f.type) for f in dataset.schema},
        }
        out[table] = {"polars": polars, "pyarrow": pyarrow}
    return out


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    result = {"figures": figures, "lake": lambda d, *t: lake(d, t)}[command](*args)
    json.dump(result, sys.stdout, ensure_ascii=False)
