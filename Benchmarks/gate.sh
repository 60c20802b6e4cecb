#!/usr/bin/env bash
# gate benchmark (issue 8): `gate v2 against v1` with 200 must-pass cases on the 1M-trace store
# (goal: under 3 s). The cases are made the way a release owner makes them: 200 refund questions
# pinned (`pin ID expect not refused`) from distinct inputs, saved as a session and exported.
# Each run is a whole process with a warm page cache; wall time and peak RSS by GNU time.
#
# Usage:  Benchmarks/gate.sh RELOPS_STORE [WORKDIR]
# Environment: RUNS (timed rounds, default 5; one warm-up first)
set -euo pipefail
[ $# -ge 1 ] || { sed -n '2,9p' "$0"; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
store=$1
work=${2:-./bench-gate-work}
mkdir -p "$work"
work=$(cd "$work" && pwd)
RUNS=${RUNS:-5}
(cd "$root" && swift build -c release --static-swift-stdlib --product relops >/dev/null)
relops="$root/.build/release/relops"
cd "$work"
if [ ! -f cases/gate-bench.yaml ]; then
  "$relops" --db "$store" --format csv -c \
    'traces | where intent == "refund" and prompt_version == "v1" and input_hash is not null | distinct input_hash | limit 200' > inputs.csv
  {
    tail -n +2 inputs.csv | tr -d '\r' | while read -r hash; do
      id=$("$relops" --db "$store" --format csv -c "traces | where input_hash == \"$hash\" | top 1 by ts | select trace_id" | tail -1 | tr -d '\r')
      echo "pin $id expect not refused"
    done
    echo "session save gate-bench"
    echo "cases export gate-bench"
  } > make-cases.relops
  "$relops" --db "$store" -f make-cases.relops > /dev/null
fi
cat "$store" > /dev/null
: > results.tsv
for r in $(seq 0 "$RUNS"); do
  /usr/bin/time -f '%e %M' -o time.out "$relops" --db "$store" --format json -c 'gate v2 against v1 cases cases/gate-bench.yaml' > gate.json || true
  [ "$r" = 0 ] || printf '%s\t%s\n' "$r" "$(tail -1 time.out | tr ' ' '\t')" >> results.tsv
done
python3 - results.tsv gate.json <<'PYEOF'
import json, statistics, sys
rows = [l.split("\t") for l in open(sys.argv[1]).read().splitlines() if l]
doc = json.load(open(sys.argv[2]))
cases = doc.get("cases", [])
print(f"| gate v2 against v1, {len(cases)} cases, verdict {doc.get('verdict')} | median {statistics.median(float(r[1]) for r in rows):.2f} s "
      f"| min {min(float(r[1]) for r in rows):.2f} s | peak RSS {max(int(r[2]) for r in rows) / 1024:.0f} MB |")
PYEOF
