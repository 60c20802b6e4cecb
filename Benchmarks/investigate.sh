#!/usr/bin/env bash
# drift / changes / explain benchmark (issue 6): each command on the 1M-trace store as a whole
# process (release build, warm page cache), wall time and peak RSS by GNU time, beside the peers
# of Benchmarks/investigate_peer.py (DuckDB on its own store of the same corpus, scipy for the
# statistics; they compute less, see that file), tools taking turns in each round.
# Goal (issue 6): `drift` of all signals and `explain` of one, each under 2 s.
#
# Usage:  Benchmarks/investigate.sh RELOPS_STORE DUCKDB_STORE [WORKDIR]
# Environment: PY (a Python with duckdb and scipy), RUNS (timed rounds, default 5; one warm-up first)
# Output: WORKDIR/results.tsv (tool case round seconds peak_kb), WORKDIR/answers/, WORKDIR/table.md.
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,12p' "$0"; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
store=$1
duck=$2
work=${3:-./bench-investigate-work}
mkdir -p "$work/answers"
work=$(cd "$work" && pwd)
PY=${PY:-python3}
RUNS=${RUNS:-5}
results="$work/results.tsv"
: > "$results"

(cd "$root" && swift build -c release --static-swift-stdlib --product relops >/dev/null)
relops="$root/.build/release/relops"
"$relops" --db "$store" -c sources > /dev/null      # upgrades an older store's schema once, untimed
cat "$store" "$duck" > /dev/null                    # warm page cache

# timed TOOL CASE ROUND CMD...: wall seconds and peak RSS of CMD, round 1's output kept.
timed() {
  local tool=$1 q=$2 round=$3; shift 3
  /usr/bin/time -f '%e %M' -o "$work/time.out" "$@" > "$work/last.out" 2> "$work/last.err" \
    || { echo "$tool $q: failed" >&2; cat "$work/last.err" >&2; }
  [ "$round" = 1 ] && cp "$work/last.out" "$work/answers/$tool-$q.txt"
  [ "$round" = 0 ] || printf '%s\t%s\t%s\t%s\n' "$tool" "$q" "$round" "$(tail -1 "$work/time.out" | tr ' ' '\t')" >> "$results"
}

for r in $(seq 0 "$RUNS"); do
  timed relops drift "$r" "$relops" --db "$store" --format json -c "drift between v1 and v2"
  timed relops drift_expr "$r" "$relops" --db "$store" --format json -c 'drift between prompt_version == "v1" and prompt_version == "v2"'
  timed peer drift "$r" "$PY" "$here/investigate_peer.py" drift "$duck"
  timed relops explain "$r" "$relops" --db "$store" --format json -c 'explain refused between ts < "2026-11-05" and ts >= "2026-11-07T12:00:00Z"'
  timed peer explain "$r" "$PY" "$here/investigate_peer.py" explain "$duck"
  timed relops drift_by "$r" "$relops" --db "$store" --format json -c 'drift refused, latency_ms between v1 and v2 by intent'
  timed relops changes "$r" "$relops" --db "$store" --format json -c 'changes refused every 1h'
  echo "round $r done" >&2
done

"$PY" - "$results" <<'PYEOF' | tee "$work/table.md"
import collections, statistics, sys
rows = [l.split("\t") for l in open(sys.argv[1]).read().splitlines() if l]
t = collections.defaultdict(dict); mem = collections.defaultdict(int)
for tool, q, r, s, kb in rows:
    t[(tool, q)][int(r)] = float(s); mem[(tool, q)] = max(mem[(tool, q)], int(kb))
names = {"drift": "`drift between v1 and v2` (13 signals)", "drift_expr": "`drift between prompt_version == \"v1\" and … \"v2\"`",
         "explain": "`explain refused between ts < \"2026-11-05\" and ts >= \"2026-11-07T12:00:00Z\"`",
         "drift_by": "`drift refused, latency_ms between v1 and v2 by intent`", "changes": "`changes refused every 1h`"}
peer_of = {"drift": "drift", "drift_expr": "drift", "explain": "explain"}
print("| command | relops s (median) | peak RSS MB | peer s | peer RSS MB | relops × peer |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for q in names:
    a = t[("relops", q)]
    line = f"| {names[q]} | {statistics.median(a.values()):.2f} | {mem[('relops', q)] / 1024:.0f} |"
    p = peer_of.get(q)
    if p:
        b = t[("peer", p)]
        ratio = statistics.median(a[r] / b[r] for r in a if r in b)
        line += f" {statistics.median(b.values()):.2f} | {mem[('peer', p)] / 1024:.0f} | {ratio:.2f} |"
    else:
        line += " – | – | – |"
    print(line)
PYEOF
