#!/usr/bin/env bash
# diff benchmark (issue 5): `diff prompt_version v1 v2` on the 1M-trace store, as a whole
# process timed from outside with a warm page cache, beside the peers' q5_diff (inputs seen
# under v1 and v2: changed outputs, refusal rises) in DuckDB on its own store and in the sqlite3
# CLI on the relops store, tools taking turns in each round. relops computes more (flip tables
# of five signals, paired deltas of five measures with intervals, examples), so the ratio is an
# upper bound on its cost for the same question.
#
# The corpus has ~30,000 inputs seen under both versions; the goal is stated for 200,000. So a
# second store, diff200k.db, holds the same 1M trace rows with input fingerprints reassigned so
# that exactly 200,000 inputs are seen under both v1 and v2 (the k-th trace of each version gets
# input k mod 200,000): the same scan, a pairing six times as large.
#
# Usage:  Benchmarks/diff.sh RELOPS_STORE DUCKDB_STORE [WORKDIR]
# Environment: PY (a Python with duckdb), RUNS (timed rounds, default 5; one warm-up round first)
# Output: WORKDIR/results.tsv, WORKDIR/answers/, WORKDIR/table.md.
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,17p' "$0"; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
store=$1
duck=$2
work=${3:-./bench-diff-work}
mkdir -p "$work/answers"
work=$(cd "$work" && pwd)
PY=${PY:-python3}
RUNS=${RUNS:-5}
peers="$root/../shared/bench/peers.py"
results="$work/results.tsv"
: > "$results"

(cd "$root" && swift build -c release --static-swift-stdlib --product relops >/dev/null)
relops="$root/.build/release/relops"
"$relops" --db "$store" -c sources > /dev/null      # upgrades an older store's schema once, untimed

big="$work/diff200k.db"
if [ ! -f "$big" ]; then
  echo "building $big …" >&2
  "$relops" --db "$big" -c sources > /dev/null      # an empty store with the current schema
  cols=$(sqlite3 "$store" "SELECT group_concat(name, ', ') FROM pragma_table_info('traces') WHERE name <> 'input_hash'")
  sqlite3 "$big" <<SQL
ATTACH '$store' AS src;
BEGIN;
INSERT INTO traces ($cols, input_hash)
  SELECT $cols, printf('%016x', (row_number() OVER (PARTITION BY prompt_version ORDER BY rowid) - 1) % 200000)
  FROM src.traces;
COMMIT;
ANALYZE;
SQL
fi
cat "$store" "$big" "$duck" > /dev/null             # warm page cache

. "$here/measure.sh"

for r in $(seq 0 "$RUNS"); do
  measure relops corpus "$r" "$relops" --db "$store" --format json -c "diff prompt_version v1 v2"
  measure sqlite corpus "$r" sqlite3 -readonly -csv -header "$store" ".read $here/queries/q5_diff.sql"
  measure duckdb corpus "$r" "$PY" "$peers" query duckdb "$duck" q5_diff
  measure relops 200k "$r" "$relops" --db "$big" --format json -c "diff prompt_version v1 v2"
  echo "round $r done" >&2
done

"$PY" - "$results" <<'PYEOF' | tee "$work/table.md"
import collections, statistics, sys
rows = [l.split("\t") for l in open(sys.argv[1]).read().splitlines() if l]
t = collections.defaultdict(dict)
for tool, q, r, s in rows:
    t[(tool, q)][int(r)] = float(s)
def med(tool, q): return statistics.median(t[(tool, q)].values())
def ratio(q, other):
    a, b = t[("relops", q)], t[(other, "corpus")]
    return statistics.median(a[r] / b[r] for r in a if r in b)
print("| case | relops s | sqlite3 CLI q5 s | DuckDB q5 s | relops × DuckDB | relops × sqlite3 |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
print(f"| corpus (v1 vs v2) | {med('relops','corpus'):.3f} | {med('sqlite','corpus'):.3f} | {med('duckdb','corpus'):.3f} | {ratio('corpus','duckdb'):.2f} | {ratio('corpus','sqlite'):.2f} |")
print(f"| 200,000 matched inputs | {med('relops','200k'):.3f} | – | – | {ratio('200k','duckdb'):.2f} | {ratio('200k','sqlite'):.2f} |")
PYEOF
