#!/usr/bin/env bash
# PostgreSQL beside SQLite on the same synthetic registry (not a test: figures depend on the
# machine). Usage: scripts/bench-postgres.sh [organisations]  (default 100000)
# Generates the registry with `htx gen` (same seed, so the same data) into a fresh SQLite file
# and a fresh PostgreSQL database, times both, times `htx report --format json` on both (best
# of three), prints the figures and writes them into docs/benchmarks.md between the markers
# of its section. Needs PostgreSQL on 127.0.0.1:5432 (trust auth, user postgres), as .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
ORGS="${1:-100000}"
PG="${HTX_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432}"
DBNAME="htx_bench_$ORGS"
cargo build --release --quiet
BIN="$PWD/target/release/htx"
DATA="$PWD/bench-data"
mkdir -p "$DATA"
export HTX_LOG=error

best_of_3() { # prints the best wall time of three runs of the command
  local best="" t="$DATA/time.out"
  for _ in 1 2 3; do
    /usr/bin/time -f "%e" -o "$t" "$@" >/dev/null 2>&1
    local s
    s=$(cat "$t")
    if [ -z "$best" ] || awk "BEGIN{exit !($s < $best)}"; then best=$s; fi
  done
  echo "$best"
}

timed() { # prints the wall time of one run of the command
  /usr/bin/time -f "%e" -o "$DATA/time.out" "$@" >/dev/null 2>&1
  cat "$DATA/time.out"
}

SQLITE_DB="$DATA/pg-compare-$ORGS.db"
rm -f "$SQLITE_DB" "$SQLITE_DB"-*
psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DBNAME" -qc "CREATE DATABASE $DBNAME"
SQLITE_URL="sqlite://$SQLITE_DB?mode=rwc"
PG_URL="$PG/$DBNAME"

echo "generating $ORGS organisations on SQLite and on PostgreSQL" >&2
GEN_SQLITE=$(timed "$BIN" --db "$SQLITE_URL" gen --organisations "$ORGS")
GEN_PG=$(timed "$BIN" --db "$PG_URL" gen --organisations "$ORGS")
REPORT_SQLITE=$(best_of_3 "$BIN" --db "$SQLITE_URL" report --period 2024-H1 --format json --out "$DATA/pg-s.json")
REPORT_PG=$(best_of_3 "$BIN" --db "$PG_URL" report --period 2024-H1 --format json --out "$DATA/pg-p.json")
if ! cmp -s "$DATA/pg-s.json" "$DATA/pg-p.json"; then
  echo "warning: the two reports differ" >&2
fi
ratio() { awk "BEGIN{printf \"%.2f\", $1 / $2}"; }

SECTION=$(
  echo "<!-- bench-postgres: begin -->"
  echo "## PostgreSQL beside SQLite (scripts/bench-postgres.sh)"
  echo
  echo "$(date -u +%Y-%m-%d), $(nproc) cores, release build, PostgreSQL $(psql "$PG/postgres" -Atc 'SHOW server_version') with"
  echo "its default settings on the same machine; the same $ORGS generated organisations in each."
  echo
  echo "| step | SQLite | PostgreSQL | PostgreSQL / SQLite |"
  echo "|---|---:|---:|---:|"
  echo "| \`htx gen --organisations $ORGS\` | $GEN_SQLITE s | $GEN_PG s | $(ratio "$GEN_PG" "$GEN_SQLITE") |"
  echo "| \`htx report --period 2024-H1 --format json\` (best of 3) | $REPORT_SQLITE s | $REPORT_PG s | $(ratio "$REPORT_PG" "$REPORT_SQLITE") |"
  echo
  echo "Targets (the national-scale issue): \`htx gen\` within 2× SQLite, the report within 1.0×."
  echo "<!-- bench-postgres: end -->"
)
echo "$SECTION"
python3 - "$SECTION" <<'PY'
import re, sys
section = sys.argv[1]
path = "docs/benchmarks.md"
text = open(path, encoding="utf-8").read()
pattern = re.compile(r"<!-- bench-postgres: begin -->.*?<!-- bench-postgres: end -->", re.S)
text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section + "\n"
open(path, "w", encoding="utf-8").write(text)
PY
psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DBNAME"
