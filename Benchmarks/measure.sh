# Sourced by the benchmark scripts: `measure TOOL CASE ROUND CMD...` runs CMD as a whole
# process timed from outside, keeps round 1's output in $work/answers/TOOL-CASE.txt and appends
# `TOOL CASE ROUND SECONDS` to $results (round 0 is the untimed warm-up).
measure() {
  local tool=$1 q=$2 round=$3; shift 3
  local t0 t1 rc=0
  t0=$(date +%s%N)
  "$@" > "$work/last.out" 2> "$work/last.err" || rc=$?
  t1=$(date +%s%N)
  [ "$rc" = 0 ] || { echo "$tool $q: exit $rc" >&2; cat "$work/last.err" >&2; }
  [ "$round" = 1 ] && cp "$work/last.out" "$work/answers/$tool-$q.txt"
  [ "$round" = 0 ] || printf '%s\t%s\t%s\t%s\n' "$tool" "$q" "$round" "$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f", (b - a) / 1e9}')" >> "$results"
}
