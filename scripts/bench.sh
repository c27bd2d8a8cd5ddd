#!/usr/bin/env bash
# Benchmarks of the registry and its report (not tests: figures depend on the machine).
# Usage: scripts/bench.sh [--quick]
# Builds the release binary, generates deterministic synthetic registries with `htx gen`,
# times `htx report --format json` and an import of a 100,000-row workbook, prints the
# figures and writes them into docs/benchmarks.md between its markers (the other sections
# come from other scripts). Data goes to ./bench-data (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
BIN="$PWD/target/release/htx"
DATA="$PWD/bench-data"
mkdir -p "$DATA"
export HTX_LOG=error

LARGE=1000000
LARGE_EVENTS=3
if [ "${1:-}" = "--quick" ]; then LARGE=200000; fi

# best of 3 runs: prints "seconds peak_kib"
measure() {
  local best="" mem="" t="$DATA/time.out"
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$t" "$@" >/dev/null 2>&1
    local s m
    read -r s m < "$t"
    if [ -z "$best" ] || awk "BEGIN{exit !($s < $best)}"; then best=$s; mem=$m; fi
  done
  echo "$best $mem"
}

gen_db() { # name organisations events_per_org
  local db="$DATA/$1.db"
  if [ ! -f "$db" ]; then
    echo "generating $1: $2 organisations, ~$3 events each" >&2
    /usr/bin/time -f "%e" -o "$DATA/$1.gen-seconds" \
      "$BIN" --db "sqlite://$db?mode=rwc" gen --organisations "$2" --events-per-org "$3" >&2
  fi
  echo "$db"
}

report_row() { # label db
  local db=$2
  local orgs events
  orgs=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from organisation').fetchone()[0])" "$db")
  events=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from org_event').fetchone()[0])" "$db")
  read -r secs kib < <(measure "$BIN" --db "sqlite://$db" report --period 2024-H1 --format json --out "$DATA/r.json")
  echo "| $1 | $orgs | $events | $secs s | $((kib / 1024)) MiB |"
}

DB100K=$(gen_db g100k 100000 10)
DBLARGE=$(gen_db "g$LARGE" "$LARGE" "$LARGE_EVENTS")
ROW1=$(report_row "100k organisations" "$DB100K")
ROW2=$(report_row "$LARGE organisations" "$DBLARGE")

# Fund: 200,000 loans with about 5,000,000 transactions over the 100k registry.
FUND_LOANS=200000
if [ "${1:-}" = "--quick" ]; then FUND_LOANS=40000; fi
FUND_DB="$DATA/fund$FUND_LOANS.db"
if [ ! -f "$FUND_DB" ]; then
  echo "generating $FUND_LOANS loans" >&2
  cp "$DB100K" "$FUND_DB"
  /usr/bin/time -f "%e" -o "$DATA/fund.gen-seconds" \
    "$BIN" --db "sqlite://$FUND_DB" gen --loans "$FUND_LOANS" --tx-per-loan 25 >&2
fi
FUND_TX=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from loan_tx').fetchone()[0])" "$FUND_DB")
read -r fsecs fkib < <(measure "$BIN" --db "sqlite://$FUND_DB" fund portfolio --on 2024-06-30 --limit 0)
read -r frsecs frkib < <(measure "$BIN" --db "sqlite://$FUND_DB" report --period 2024-H1 --format json --out "$DATA/rf.json")

# The yearly evaluation: the 100k registry with nine in ten HTX and LHHTX graded for 2022 and
# 2023 (the report of 2024-H1 states 2023 and compares with 2022).
EVAL_DB="$DATA/eval100k.db"
if [ ! -f "$EVAL_DB" ]; then
  cp "$DB100K" "$EVAL_DB"
  python3 - "$EVAL_DB" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("""
INSERT INTO org_evaluation (org_id, year, version, outcome, grade, total, points, exemption,
                            scored_by, scored_on, note, recorded_at, author)
SELECT DISTINCT i.org_id, y.year, 1, 'graded',
  CASE i.org_id % 4 WHEN 0 THEN 'good' WHEN 1 THEN 'fair' WHEN 2 THEN 'average' ELSE 'weak' END,
  CASE i.org_id % 4 WHEN 0 THEN 8500 WHEN 1 THEN 7000 WHEN 2 THEN 5500 ELSE 4000 END,
  NULL, NULL, 'bench', NULL, '', '2024-01-15T00:00:00', 'bench'
FROM org_interval i, (SELECT 2022 AS year UNION SELECT 2023) y
WHERE i.kind IN ('HTX', 'LHHTX') AND i.counted = 1 AND i.org_id % 10 <> 7
  AND i.valid_from <= y.year || '-12-31' AND i.valid_to > y.year || '-12-31'""")
c.commit()
PY
fi
EVALS=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from org_evaluation').fetchone()[0])" "$EVAL_DB")
read -r esecs ekib < <(measure "$BIN" --db "sqlite://$EVAL_DB" report --period 2024-H1 --format json --out "$DATA/re.json")

XLSX="$DATA/import-100k.xlsx"
[ -f "$XLSX" ] || "$BIN" --db "sqlite://$DATA/scratch.db?mode=rwc" gen --organisations 100000 --xlsx "$XLSX" >/dev/null
rm -f "$DATA"/import.db*
/usr/bin/time -f "%e %M" -o "$DATA/time.out" "$BIN" --db "sqlite://$DATA/import.db?mode=rwc" import "$XLSX" >/dev/null 2>&1
read -r isecs ikib < "$DATA/time.out"

CPU=$(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
{
  echo "# Benchmarks"
  echo
  echo "Produced by \`scripts/bench.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores ($CPU), SQLite (embedded),"
  echo "release build. Report times are the best of three runs of the whole command"
  echo "(\`htx report --period 2024-H1 --format json\`: open, migrate check, all queries, render);"
  echo "peak memory is the process's maximum resident set size."
  echo
  echo "## Report on a national-scale registry"
  echo
  echo "| registry | organisations | events | report time | peak memory |"
  echo "|---|---:|---:|---:|---:|"
  echo "$ROW1"
  echo "$ROW2"
  echo
  echo "Targets: under 0,5 s at 100,000 organisations with 1,000,000 events; under 5 s at 1,000,000 organisations."
  echo "Generating the registries (\`htx gen\`, not a target) took $(cat "$DATA/g100k.gen-seconds") s and $(cat "$DATA/g$LARGE.gen-seconds") s,"
  echo "measured when each was generated (bench-data/ keeps them between runs, so a figure may come"
  echo "from an earlier build)."
  echo
  echo "## Report with the yearly evaluation"
  echo
  echo "| registry | evaluations | report time | peak memory |"
  echo "|---|---:|---:|---:|"
  echo "| 100k organisations, 2022 and 2023 graded | $EVALS | $esecs s | $((ekib / 1024)) MiB |"
  echo
  echo "No target yet. The evaluation section moves one row per HTX counted on 31 December, for"
  echo "the evaluated year and the year before, out of SQLite and counts them in memory."
  echo
  echo "## Import"
  echo
  echo "| file | rows | time | peak memory |"
  echo "|---|---:|---:|---:|"
  echo "| import-100k.xlsx (sheet Tổ chức) | 100000 | $isecs s | $((ikib / 1024)) MiB |"
  echo
  echo "Target: under 10 s for a 100,000-row workbook. The import reads, validates every row,"
  echo "then writes organisations, establishment events and the projection in one transaction."
  echo
  echo "## Support fund"
  echo
  echo "| book | loans | transactions | command | time | peak memory |"
  echo "|---|---:|---:|---|---:|---:|"
  echo "| synthetic | $FUND_LOANS | $FUND_TX | \`htx fund portfolio --on 2024-06-30 --limit 0\` (totals, ageing, PAR30, maturing) | $fsecs s | $((fkib / 1024)) MiB |"
  echo "| synthetic | $FUND_LOANS | $FUND_TX | \`htx report --period 2024-H1 --format json\` (registry and fund) | $frsecs s | $((frkib / 1024)) MiB |"
  echo
  echo "Target: portfolio with ageing at one date under 1 s. It is summed by the database over"
  echo "the loan_position projection (rebuilt from the transactions on every write); generating"
  echo "the book (\`htx gen --loans\`, not a target) took $(cat "$DATA/fund.gen-seconds") s. The full report on that"
  echo "book has no target; its fund part sums the period's transactions per borrower."
} > "$DATA/bench-section.md"
cat "$DATA/bench-section.md"
# Only this script's section is replaced: the web, import-limit and PostgreSQL sections come
# from their own scripts and measurements.
python3 - "$DATA/bench-section.md" <<'PY'
import re, sys
section = "<!-- bench: begin -->\n" + open(sys.argv[1], encoding="utf-8").read().rstrip("\n") + "\n<!-- bench: end -->"
path = "docs/benchmarks.md"
text = open(path, encoding="utf-8").read()
pattern = re.compile(r"<!-- bench: begin -->.*?<!-- bench: end -->", re.S)
text = pattern.sub(lambda _: section, text) if pattern.search(text) else section + "\n\n" + text
open(path, "w", encoding="utf-8").write(text)
PY
