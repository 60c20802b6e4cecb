#!/usr/bin/env bash
# Two relops builds loading the same corpus, one after the other, into fresh stores: what a
# change of the load path or the store schema does to load time, peak RSS and store size.
#
# Usage:  Benchmarks/load_pair.sh OLD_RELOPS NEW_RELOPS CORPUS.jsonl [WORKDIR]
#   OLD_RELOPS, NEW_RELOPS  release binaries (e.g. one built in a `git worktree` of the base commit)
# Output: one line per build: seconds, peak RSS, CPU, store bytes.
set -euo pipefail
[ $# -ge 3 ] || { sed -n '2,8p' "$0"; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
old=$1 new=$2 corpus=$3 work=${4:-./load-pair-work}
mkdir -p "$work"
cat "$corpus" > /dev/null
for name in new old; do
  bin=$new; [ "$name" = old ] && bin=$old
  store="$work/$name.db"
  rm -f "$store" "$store"-*
  t0=$(date +%s%N)
  /usr/bin/time -f "%M KiB peak, %U s user, %S s sys" -o "$work/$name.time" \
    env RELOPS_CONFIG="$here/relops.yaml" "$bin" --db "$store" --format json -c "load $corpus" > "$work/$name.json"
  t1=$(date +%s%N)
  echo "$name: $(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", (b-a)/1e9}') s, $(cat "$work/$name.time"), store $(stat -c %s "$store") bytes"
done
