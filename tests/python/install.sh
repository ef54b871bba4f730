#!/usr/bin/env bash
# Installs the clients tests/clients.rs opens the catalog and the lake with,
# from PyPI, into DIR (default ~/.cache/verzuim-clients):
#
#   DIR/venv/          python with duckdb 2.0, polars, pyarrow (requirements.txt)
#   DIR/duckdb-1.4/    the duckdb 1.4 LTS Python package (PYTHONPATH)
#   DIR/duckdb-1.5/    the duckdb 1.5 Python package (PYTHONPATH)
#   DIR/cli-1.4/bin/duckdb   the DuckDB 1.4 command line (the binary is in the wheel)
#
# Done again only when this script or requirements.txt changed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${1:-$HOME/.cache/verzuim-clients}"
stamp="$dir/.installed"
want="$(cat "$here/install.sh" "$here/requirements.txt" | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    exit 0
fi
rm -rf "$dir"
mkdir -p "$dir"
python3 -m venv "$dir/venv"
pip="$dir/venv/bin/pip"
"$pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
"$pip" install --quiet --disable-pip-version-check --target "$dir/duckdb-1.4" duckdb==1.4.5
"$pip" install --quiet --disable-pip-version-check --target "$dir/duckdb-1.5" duckdb==1.5.6
"$pip" install --quiet --disable-pip-version-check --target "$dir/cli-1.4" duckdb-cli==1.4.4
chmod +x "$dir/cli-1.4/bin/duckdb"
echo "$want" > "$stamp"
