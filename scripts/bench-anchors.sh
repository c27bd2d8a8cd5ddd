#!/usr/bin/env bash
# The report against its anchors (not a test: figures depend on the machine).
# Usage: scripts/bench-anchors.sh [--db FILE]
# On bench-data/g100k.db (and bench-data/g1000000.db when present; neither is generated here,
# scripts/bench.sh and scripts/bench-web.sh make them) times, best of 3:
#   htx      `htx report --period 2024-H1 --format json`, a new process each time (cold CLI);
#   sqlite3  the sqlite3 shell running the registry aggregates the report runs, the SQL of
#            scripts/anchors/*.sql, one file per function of src/store/report.rs;
#   DuckDB   the same SQL files on DuckDB in memory, the tables loaded from the same file
#            beforehand (loading is not timed).
# It checks that the sqlite3 shell's totals equal the report's JSON and that DuckDB's rows
# equal the shell's, and fails if not: an anchor that computes something else says nothing.
# Prints the table and writes it between the anchors markers of docs/benchmarks.md.
# --db FILE runs the same timings and checks on that one SQLite file instead (a registry with
# yearly figures and founding members, such as `htx demo`'s, which the generated ones lack)
# and prints the table without writing the docs.
set -euo pipefail
ONE_DB=""
while [ $# -gt 0 ]; do
  case $1 in
    --db) ONE_DB=$(realpath "${2:?--db needs a file}"); shift 2 ;;
    *) echo "usage: $0 [--db FILE]" >&2; exit 2 ;;
  esac
done
cd "$(dirname "$0")/.."
BIN="$PWD/target/release/htx"
# BENCH_DATA and BENCH_DOC let a trial run use a small registry without touching the docs.
DATA="${BENCH_DATA:-$PWD/bench-data}"
DOC="${BENCH_DOC:-docs/benchmarks.md}"
SQL="$PWD/scripts/anchors"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export HTX_LOG=error
PERIOD=2024-H1

# A release binary is what the figures are about; build it only when there is none, so that
# the run measures the binary the other benchmarks measured.
[ -x "$BIN" ] || cargo build --release --quiet
command -v sqlite3 >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y sqlite3 >/dev/null
# DuckDB's sqlite extension is downloaded at run time, which needs more than the package
# registries; the Python package alone reads CSV, so the tables travel as CSV (see duckdb_run).
python3 -c 'import duckdb' 2>/dev/null || pip install --quiet duckdb

if [ -n "$ONE_DB" ]; then
  DBS=("$ONE_DB")
else
  DBS=("$DATA/g100k.db")
  [ -f "$DATA/g1000000.db" ] && DBS+=("$DATA/g1000000.db")
fi
[ -f "${DBS[0]}" ] || { echo "missing ${DBS[0]}: run scripts/bench-web.sh or scripts/bench.sh first" >&2; exit 1; }

now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'; }

# The dates the report used, read from its own JSON rather than computed again here, so the
# anchors cannot drift from the report (the same period last year is its end minus a year;
# the yearly figures are of the last full year ended by the period end, as
# report::figures::build takes them).
dates() { # json -> "start stop baseline same_end last_full_year"
  python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
start, stop = d["period"]["start"], d["period"]["end"]
y, md = int(stop[:4]), stop[4:]
same_end = f"{y - 1}{md}" if md != "-02-29" else f"{y - 1}-02-28"
last_full = y if md == "-12-31" else y - 1
print(start, stop, d["baseline_date"], same_end, last_full)
PY
}

# The sqlite3 shell, a new process as htx is: the stock, the flows, the member figures and
# the founding members in one session, as the report always runs all four. `.timer on` adds
# each statement's time.
QUERIES=(stock flows member_figures founding_members_without_figures)
sqlite_run() { # db out
  local db=$1 out=$2
  local texts=(end "$STOP" baseline "$BASELINE" same_end "$SAME_END" latest "$LATEST"
    earliest "$EARLIEST" start "$START" stop "$STOP")
  {
    # The connection settings of htx's own (store::Store::open) that bear on a read.
    echo "PRAGMA temp_store = MEMORY;"
    echo ".parameter init"
    for ((k = 0; k < ${#texts[@]}; k += 2)); do
      echo ".parameter set \$${texts[k]} \"'${texts[k + 1]}'\""
    done
    echo ".parameter set \$year $LAST_FULL_YEAR"
    echo ".mode tabs"
    echo ".timer on"
    for q in "${QUERIES[@]}"; do echo ".print @$q"; echo ".read $SQL/$q.sql"; done
  } | sqlite3 "$db" >"$out"
}

# The tables the aggregates read, as CSV through the sqlite3 shell (NULL written as \N, so
# that an empty text stays empty), then DuckDB in memory reads them with the stored types
# (dates stay text, compared as text, as in SQLite) and times only the queries, best of 3.
# org_event's payload, author and recorded-at time are left out: no aggregate reads them; of
# organisation only its id and founding members (founding_members_without_figures).
duckdb_run() { # db sqlite_out
  local db=$1
  sqlite3 "$db" <<EOF
.mode csv
.headers on
.nullvalue '\\N'
.once $WORK/org_interval.csv
SELECT org_id, valid_from, valid_to, kind, status, counted, sector, commune, flags FROM org_interval;
.once $WORK/org_event.csv
SELECT id, org_id, kind, effective_date FROM org_event;
.once $WORK/organisation.csv
SELECT id, founding_members FROM organisation;
.once $WORK/org_figure.csv
SELECT org_id, year, official_members, associate_members, workers, charter_capital, total_assets,
       revenue, profit, average_income, seasonal_workers, operating_capital FROM org_figure;
EOF
  python3 - "$WORK" "$SQL" "$2" "$START" "$STOP" "$BASELINE" "$SAME_END" "$LATEST" "$EARLIEST" "$LAST_FULL_YEAR" "${QUERIES[@]}" <<'PY'
import duckdb, os, sys, time
work, sql, sqlite_out = sys.argv[1:4]
start, stop, baseline, same_end, latest, earliest = sys.argv[4:10]
last_full_year = int(sys.argv[10])
queries = sys.argv[11:]
con = duckdb.connect()  # in memory
V, I = "VARCHAR", "BIGINT"
tables = {
    "org_interval": dict(org_id=I, valid_from=V, valid_to=V, kind=V, status=V, counted=I,
                         sector=V, commune=V, flags=I),
    "org_event": dict(id=I, org_id=I, kind=V, effective_date=V),
    "organisation": dict(id=I, founding_members=I),
    "org_figure": dict(org_id=I, year=I, official_members=I, associate_members=I, workers=I,
                       charter_capital=I, total_assets=I, revenue=I, profit=I,
                       average_income=I, seasonal_workers=I, operating_capital=I),
}
for name, cols in tables.items():
    con.execute(f"CREATE TABLE {name} ({', '.join(f'{c} {t}' for c, t in cols.items())})")
    path = f"{work}/{name}.csv"
    # The shell writes no heading for an empty table (the generator writes no yearly figures).
    if os.path.getsize(path) > 0:
        con.execute(f"INSERT INTO {name} SELECT * FROM read_csv(?, header = true, delim = ',', "
                    f"quote = '\"', nullstr = '\\N', columns = {cols!r})", [path])
text = lambda q: open(f"{sql}/{q}.sql", encoding="utf-8").read()
# Only the parameters a file names: DuckDB refuses unused ones.
def run(q, params):
    body = text(q)
    return con.execute(body, {k: v for k, v in params.items() if f"${k}" in body}).fetchall()
params = dict(end=stop, baseline=baseline, same_end=same_end, latest=latest,
              earliest=earliest, start=start, stop=stop, year=last_full_year)
best, rows = None, {}
for _ in range(3):
    times = {}
    for q in queries:
        t = time.perf_counter(); rows[q] = run(q, params); times[q] = time.perf_counter() - t
    if best is None or sum(times.values()) < sum(best.values()):
        best = times
# The same rows as the sqlite3 shell's, whatever their order.
shell, section = {}, None
for line in open(sqlite_out, encoding="utf-8"):
    line = line.rstrip("\n")
    if line.startswith("@"):
        section = line[1:]; shell[section] = []
    elif not line.startswith("Run Time"):
        shell[section].append(tuple(line.split("\t")))
cell = lambda v: "" if v is None else str(v)
for q, got in rows.items():
    mine = sorted(tuple(cell(v) for v in r) for r in got)
    if mine != sorted(shell.get(q, [])):
        sys.exit(f"DuckDB's {q} differs from the sqlite3 shell's ({len(mine)} against "
                 f"{len(shell.get(q, []))} rows)")
print(" ".join(f"{q}={t:.3f}" for q, t in best.items()))
PY
}

# The sqlite3 shell's totals against the report's JSON: organisations per family at the
# period end and the baseline, the flows per family, the members of `members` and
# `tht_members` (families as docs/report-json.md defines them: htx = HTX and QTDND): the
# yearly sums and by_year from member_figures, the founding ones from
# founding_members_without_figures. The generated registries cover the whole country (the
# deployment has no area), so no row is left out by area; a registry with an area (--db on
# htx demo's) agrees only when all its organisations lie in it, as the demo's do.
check() { # sqlite_out json
  python3 - "$1" "$2" <<'PY'
import json, sys
out, path = sys.argv[1:3]
rows, section = {}, None
for line in open(out, encoding="utf-8"):
    line = line.rstrip("\n")
    if line.startswith("@"):
        section = line[1:]; rows[section] = []
    elif not line.startswith("Run Time"):
        rows[section].append(line.split("\t"))
d = json.load(open(path, encoding="utf-8"))
area = d["area"]["id"]
reg = d["registry"]
family = {"THT": "tht", "HTX": "htx", "QTDND": "htx", "LHHTX": "lhhtx"}
flow = {"established": "founded", "ceased": "ceased", "dissolved": "dissolved"}
want, got = {}, {}
for f in ("tht", "htx", "lhhtx"):
    want[f, "end"] = reg[f]["total"]["end"]
    want[f, "baseline"] = reg[f]["total"]["baseline"]
    for k in ("founded", "ceased", "dissolved", "other_exits"):
        want[f, k] = reg[f][k]["count"]
    got.update({(f, k): 0 for k in ("end", "baseline", "founded", "ceased", "dissolved", "other_exits")})
for kind, _sector, _commune, end, base, _same in rows["stock"]:
    got[family[kind], "end"] += int(end)
    got[family[kind], "baseline"] += int(base)
for event, kind, _sector, _commune, n in rows["flows"]:
    got[family[kind], flow.get(event, "other_exits")] += int(n)
for key in ("members", "tht_members"):
    m = reg[key]
    fields = ("year", "organisations_reporting", "by_year", "official_members",
              "associate_members", "workers", "founding_reporting", "founding_members",
              "total_members", "reporting_by_kind")
    for k in fields:
        want[key, k] = m and m[k]
    mine = lambda r: (r[1] == "THT") == (key == "tht_members")
    # member_figures: commune, kind, organisations, official, associate, workers, ..., year.
    yearly = [r for r in rows["member_figures"] if mine(r)]
    # founding_members_without_figures: commune, kind, organisations, founding members.
    founding = [r for r in rows["founding_members_without_figures"] if mine(r)]
    reporting = sum(int(r[2]) for r in yearly)
    by_year, by_kind = {}, {}
    for r in yearly:
        by_year[r[-1]] = by_year.get(r[-1], 0) + int(r[2])
        by_kind[r[1]] = by_kind.get(r[1], 0) + int(r[2])
    founding_n = sum(int(r[2]) for r in founding)
    for r in founding:
        if int(r[2]):
            by_kind[r[1]] = by_kind.get(r[1], 0) + int(r[2])
    official = sum(int(r[3]) for r in yearly)
    associate = sum(int(r[4]) for r in yearly)
    founding_members = sum(int(r[3]) for r in founding)
    # The report leaves a family's members out (null) when none of it is known by yearly
    # figures or founding members.
    known = reporting + founding_n > 0
    sums = dict(year=max((int(r[-1]) for r in yearly), default=None),
                organisations_reporting=reporting, by_year=by_year,
                official_members=official, associate_members=associate,
                workers=sum(int(r[5]) for r in yearly), founding_reporting=founding_n,
                founding_members=founding_members,
                total_members=official + associate + founding_members, reporting_by_kind=by_kind)
    for k in fields:
        got[key, k] = sums[k] if known else None
bad = [f"{k}: report {want[k]}, sqlite3 {got.get(k)}" for k in want if want[k] != got.get(k)]
if bad:
    sys.exit("the sqlite3 shell's aggregates differ from the report's JSON:\n  " + "\n  ".join(bad)
             + (f"\n(the deployment's area is {area}: the anchors sum every commune, the report "
                "only its area's: a difference may be organisations outside it)" if area else ""))
total = sum(want[f, "end"] for f in ("tht", "htx", "lhhtx"))
said = lambda m: "null" if m is None else (
    f"{m['organisations_reporting']} by yearly figures {m['by_year']} (latest {m['year']}), "
    f"{m['founding_reporting']} by {m['founding_members']} founding members, "
    f"total_members {m['total_members']}")
print(f"checked: {total} organisations counted on {d['period']['end']}"
      f"{f' (area {area})' if area else ''}, "
      f"{sum(want[f, 'founded'] for f in ('tht', 'htx', 'lhhtx'))} founded in the period, "
      f"members {said(reg['members'])}; tht_members {said(reg['tht_members'])}", file=sys.stderr)
PY
}

parts() { # "q=s q=s ..." -> "stock 0.123 s, flows 0.045 s, ..."
  echo "$1" | tr ' ' '\n' | awk -F= 'NF == 2 { printf "%s%s %.3f s", (n++ ? ", " : ""), $1, $2 }'
}

# The time of each of htx's own statements, from sqlx's debug log of one more run (logging
# slows the run a little, so the total above comes from runs without it): the same
# aggregates as the anchors, where htx also moves the rows out through sqlx.
htx_statements() { # db -> "stock=s flows=s ... sql=s statements=n"
  HTX_LOG=sqlx=debug "$BIN" --db "sqlite://$1" report --period "$PERIOD" --format json \
    --out "$WORK/r-log.json" >/dev/null 2>"$WORK/sqlx.log"
  python3 - "$WORK/sqlx.log" <<'PY'
import re, sys
names = {"SELECT kind, sector, commune": "stock", "SELECT e.kind, i.kind, i.sector": "flows",
         "SELECT i.commune, i.kind, CAST(COUNT(*)": "member_figures",
         "SELECT i.commune, i.kind, o.founding_members": "founding_members_without_figures"}
found, total, n = {}, 0.0, 0
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    line = re.sub(r"\x1b\[[0-9;]*m", "", line)
    m = re.search(r'summary="([^"]*)".*elapsed_secs=([0-9.e-]+)', line)
    if not m:
        continue
    secs = float(m.group(2)); total += secs; n += 1
    for prefix, name in names.items():
        if m.group(1).startswith(prefix):
            found[name] = found.get(name, 0.0) + secs
print(" ".join(f"{k}={v:.3f}" for k, v in found.items()), f"sql={total:.3f}", f"statements={n}")
PY
}

ROWS=""
for DB in "${DBS[@]}"; do
  NAME=$(basename "$DB" .db)
  ORGS=$(sqlite3 "$DB" 'SELECT COUNT(*) FROM organisation')
  EVENTS=$(sqlite3 "$DB" 'SELECT COUNT(*) FROM org_event')
  echo "$NAME: $ORGS organisations, $EVENTS events" >&2

  HTX="" SHELL_S=""
  for _ in 1 2 3; do
    t0=$(now)
    "$BIN" --db "sqlite://$DB" report --period "$PERIOD" --format json --out "$WORK/r.json" \
      >/dev/null 2>"$WORK/htx.err" || { cat "$WORK/htx.err" >&2; exit 1; }
    HTX=$(min "$HTX" "$(elapsed "$t0" "$(now)")")
  done
  read -r START STOP BASELINE SAME_END LAST_FULL_YEAR < <(dates "$WORK/r.json")
  STATEMENTS=$(htx_statements "$DB")
  HTX_SQL=$(echo "$STATEMENTS" | tr ' ' '\n' | awk -F= '$1 == "sql" { print $2 }')
  HTX_N=$(echo "$STATEMENTS" | tr ' ' '\n' | awk -F= '$1 == "statements" { print $2 }')
  HTX_PARTS=$(echo "$STATEMENTS" | tr ' ' '\n' | grep -v '^sql=\|^statements=' | tr '\n' ' ')
  LATEST=$(printf '%s\n' "$STOP" "$BASELINE" "$SAME_END" | sort | tail -1)
  EARLIEST=$(printf '%s\n' "$STOP" "$BASELINE" "$SAME_END" | sort | head -1)

  BEST_OUT=""
  for i in 1 2 3; do
    t0=$(now)
    sqlite_run "$DB" "$WORK/sqlite.$i"
    s=$(elapsed "$t0" "$(now)")
    if [ "$(min "$SHELL_S" "$s")" = "$s" ]; then SHELL_S=$s; BEST_OUT="$WORK/sqlite.$i"; fi
  done
  check "$BEST_OUT" "$WORK/r.json"
  DUCK=$(duckdb_run "$DB" "$BEST_OUT")

  # Per statement: the shell's own timer in its best run, DuckDB's best run.
  SHELL_PARTS=$(awk '/^@/ { q = substr($0, 2) } /^Run Time/ { printf "%s=%s ", q, $4 }' "$BEST_OUT")
  DUCK_S=$(echo "$DUCK" | tr ' ' '\n' | awk -F= '{ s += $2 } END { printf "%.3f", s }')
  ratio() { awk -v a="$1" -v b="$HTX" 'BEGIN { printf "%.2f", a / b }'; }
  LABEL="$ORGS organisations, $EVENTS events"
  ROWS+="| $LABEL | htx report (cold CLI: open, migration check, every section, JSON written) | $HTX s | 1.00 |
| $LABEL | of which htx's $HTX_N SQL statements, by sqlx's log of one more run ($(parts "$HTX_PARTS")) | $HTX_SQL s | $(ratio "$HTX_SQL") |
| $LABEL | sqlite3 shell, the registry aggregates (one process; $(parts "$SHELL_PARTS")) | $SHELL_S s | $(ratio "$SHELL_S") |
| $LABEL | DuckDB in memory, the same SQL (queries only; $(parts "$DUCK")) | $DUCK_S s | $(ratio "$DUCK_S") |
"
done

TABLE="| registry | measure | seconds | ratio to htx |
|---|---|---:|---:|
${ROWS%$'\n'}"
echo "$TABLE"
# One file of one's choice is a check, not the docs' figures.
[ -z "$ONE_DB" ] || exit 0

DUCK_VERSION=$(python3 -c 'import duckdb; print(duckdb.__version__)')
SQLITE_VERSION=$(sqlite3 --version | cut -d' ' -f1)
SECTION="<!-- anchors: begin -->
## Report against its anchors (scripts/bench-anchors.sh)

$(date -u +%Y-%m-%d), $(nproc) cores, release build, the generated registries of the report's
table, period $PERIOD, best of 3 each. The first anchor is the sqlite3 shell ($SQLITE_VERSION)
running on the same file the aggregates the report asks SQLite for (\`scripts/anchors/*.sql\`,
one file per function of \`src/store/report.rs\`: the stock on three dates, the period's
flows, each counted organisation's latest yearly figures up to the last full year and the
founding members of those without any), timed as a whole process; the script fails unless
its totals equal the report's JSON. The second is DuckDB $DUCK_VERSION in memory (the Python
package, $(nproc) threads) running the same SQL files on the same tables, read from the file
through CSV beforehand (the loading is not timed), its rows checked against the shell's. htx
does more than either: it opens and checks the database and computes and writes every section
of the report (the fund, the Alliance's work, plans, corrections); the row of its SQL
statements is their time as sqlx logs them, the same aggregates with their rows taken out
through sqlx. The generated registries hold no yearly figures and no founding members, so
member_figures and founding_members_without_figures return no rows on them; the script's
\`--db\` runs the same checks on a registry that has both (\`htx demo\`'s).

$TABLE
<!-- anchors: end -->"
python3 - "$SECTION" "$DOC" <<'PY'
import sys, re
path = sys.argv[2]
text = open(path, encoding="utf-8").read()
section = sys.argv[1]
pattern = r"<!-- anchors: begin -->.*?<!-- anchors: end -->"
if re.search(pattern, text, flags=re.S):
    text = re.sub(pattern, lambda _: section, text, flags=re.S)
else:
    # Beside the report's section, after the block scripts/bench.sh rewrites.
    marker = "<!-- bench: end -->\n"
    text = text.replace(marker, marker + "\n" + section + "\n", 1) if marker in text \
        else text.rstrip("\n") + "\n\n" + section + "\n"
open(path, "w", encoding="utf-8").write(text)
PY
