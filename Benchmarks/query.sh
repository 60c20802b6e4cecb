#!/usr/bin/env bash
# Query benchmark: the five investigation queries of ../shared/bench/peers.py (plus q0, start-up)
# in relops' language on a relops store, against the sqlite3 CLI running equivalent hand-written
# SQL on the same store and DuckDB on its own store, in one run, tools taking turns. Each query
# is a whole process (start to last row), timed from outside with a warm page cache.
#
# Usage:  Benchmarks/query.sh RELOPS_STORE DUCKDB_STORE [WORKDIR]
#   RELOPS_STORE  a store Benchmarks/load.sh built from the 1M-trace corpus
#   DUCKDB_STORE  the DuckDB store the same run built (peers.py load duckdb)
# Environment: PY (a Python with duckdb), RUNS (timed rounds, default 5; one warm-up round first)
# Queries: Benchmarks/queries/QNAME.rq (relops) and QNAME.sql (sqlite3); DuckDB's are peers.py's.
# Output: WORKDIR/results.tsv, WORKDIR/answers/ (every tool's rows), WORKDIR/table.md.
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,13p' "$0"; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
store=$1
duck=$2
work=${3:-./bench-query-work}
mkdir -p "$work/answers"
work=$(cd "$work" && pwd)
PY=${PY:-python3}
RUNS=${RUNS:-5}
peers="$root/../shared/bench/peers.py"
queries="q0_count q1_by_version q2_by_day q3_slowest q4_text q5_diff"
results="$work/results.tsv"
: > "$results"

(cd "$root" && swift build -c release --static-swift-stdlib --product relops >/dev/null)
relops="$root/.build/release/relops"
"$relops" --db "$store" -c sources > /dev/null      # upgrades an older store's schema once, untimed
cat "$store" > /dev/null; cat "$duck" > /dev/null    # warm page cache for both stores

. "$here/measure.sh"

for r in $(seq 0 "$RUNS"); do
  for q in $queries; do
    measure relops "$q" "$r" "$relops" --db "$store" --format csv -f "$here/queries/$q.rq"
    measure sqlite "$q" "$r" sqlite3 -readonly -csv -header "$store" ".read $here/queries/$q.sql"
    measure duckdb "$q" "$r" "$PY" "$peers" query duckdb "$duck" "$q"
  done
  echo "round $r done" >&2
done

"$PY" - "$results" <<'PYEOF' | tee "$work/table.md"
import collections, statistics, sys
rows = [l.split("\t") for l in open(sys.argv[1]).read().splitlines() if l]
t = collections.defaultdict(list)
for tool, q, r, s in rows:
    t[(tool, q)].append((int(r), float(s)))
qs = sorted({q for _, q, _, _ in rows})
print("| query | relops s | sqlite3 CLI s | DuckDB s | relops × DuckDB | relops × sqlite3 |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for q in qs:
    med = {tool: statistics.median(s for _, s in t[(tool, q)]) for tool in ("relops", "sqlite", "duckdb")}
    def ratio(other):
        a = dict(t[("relops", q)]); b = dict(t[(other, q)])
        return statistics.median(a[r] / b[r] for r in a if r in b)
    print(f"| {q} | {med['relops']:.3f} | {med['sqlite']:.3f} | {med['duckdb']:.3f} | {ratio('duckdb'):.2f} | {ratio('sqlite'):.2f} |")
PYEOF
