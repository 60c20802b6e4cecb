#!/usr/bin/env bash
# triggers benchmark (issue 8): `triggers backtest` and `triggers check` of the four rules in
# Benchmarks/triggers/bench.yaml on the 1M-trace store (goal: a backtest in seconds). Each run is
# a whole process with a warm page cache; wall time and peak RSS by GNU time. The store is only
# read: when run as root, relops runs as `nobody`, which cannot write it and opens it read-only.
#
# Usage:  Benchmarks/triggers.sh RELOPS_STORE
# Environment: RUNS (timed rounds, default 5; one warm-up first)
set -euo pipefail
[ $# -ge 1 ] || { sed -n '2,8p' "$0"; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
store=$1
RUNS=${RUNS:-5}
(cd "$root" && swift build -c release --product relops >/dev/null)
relops="$root/.build/release/relops"
as=()
[ "$(id -u)" = 0 ] && as=(runuser -u nobody --)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/triggers/bench.yaml" "$work/bench.yaml"
chmod 755 "$work"; chmod 644 "$work/bench.yaml"
cd "$work"
cat "$store" > /dev/null
for command in "triggers backtest bench.yaml" "triggers check bench.yaml"; do
  : > results.tsv
  for r in $(seq 0 "$RUNS"); do
    /usr/bin/time -f '%e %M' -o time.out "${as[@]}" "$relops" --db "$store" -c "$command" > out.txt || true
    [ "$r" = 0 ] || tail -1 time.out >> results.tsv
  done
  sort -n results.tsv | awk -v c="$command" '{t[NR]=$1; if ($2 > m) m=$2} END {printf "%s\tmedian %.2f s\tmin %.2f s\tpeak RSS %d MB\n", c, t[int((NR+1)/2)], t[1], m/1024}'
done
