#!/usr/bin/env bash
# Load benchmark: relops loading the benchmark corpus (native and OTLP) against the sqlite3 CLI's
# bulk JSON path and DuckDB's read_json on the same file, in the same run, tools taking turns
# within each round. Every load is a whole process timed from outside (wall clock; peak RSS from
# GNU time), into a fresh store, with a warm page cache.
#
# Usage:  Benchmarks/load.sh CORPUS.jsonl [WORKDIR]
#   CORPUS   native JSON lines from ../shared/bench/gen_traces.py; CORPUS minus .jsonl plus
#            .otlp.jsonl is the OTLP twin (--format both) and is loaded too when present
#   WORKDIR  stores and results (default ./bench-work); needs ~2x the corpus size free
# Environment:
#   PY       a Python with duckdb (see ../shared/bench/README.md); default python3
#   RUNS     timed rounds (default 3);  TOOLS default "relops relops-otlp sqlite duckdb"
# Output: WORKDIR/results.tsv (tool, round, seconds, peak RSS KiB, exit), WORKDIR/table.md
# (medians, ratios to DuckDB and sqlite3 per round, store sizes).
set -euo pipefail
[ $# -ge 1 ] || { sed -n '2,16p' "$0"; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
corpus=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
otlp="${corpus%.jsonl}.otlp.jsonl"
work=${2:-./bench-work}
mkdir -p "$work"
work=$(cd "$work" && pwd)
PY=${PY:-python3}
RUNS=${RUNS:-3}
TOOLS=${TOOLS:-"relops relops-otlp sqlite duckdb"}
peers="$root/../shared/bench/peers.py"
results="$work/results.tsv"
: > "$results"

(cd "$root" && swift build -c release --static-swift-stdlib --product relops >/dev/null)
relops="$root/.build/release/relops"
"$PY" "$peers" sqlite-load "$corpus" > "$work/sqlite-load.sql"

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine: $(uname -srm), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
  echo "cpu: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
  echo "sqlite3: $(sqlite3 --version | cut -d' ' -f1); duckdb: $("$PY" -c 'import duckdb; print(duckdb.__version__)' 2>/dev/null || echo none)"
  echo "relops: $(cd "$root" && git rev-parse --short HEAD) (release build)"
  echo "corpus: $(basename "$corpus"), $(wc -l < "$corpus") lines, $(stat -c %s "$corpus") bytes"
  [ -r "$otlp" ] && echo "otlp: $(basename "$otlp"), $(wc -l < "$otlp") lines, $(stat -c %s "$otlp") bytes"
} > "$work/machine.txt"
cat "$work/machine.txt"

store_of() { case $1 in relops) echo "$work/relops.db" ;; relops-otlp) echo "$work/relops-otlp.db" ;;
  sqlite) echo "$work/sqlite.db" ;; duckdb) echo "$work/duck.duckdb" ;; esac; }

measure() {  # TOOL ROUND CMD...
  local tool=$1 round=$2; shift 2
  local rc=0 t0 t1
  t0=$(date +%s%N)
  /usr/bin/time -f '%M' -o "$work/time.out" "$@" > "$work/$tool.out" 2> "$work/$tool.err" || rc=$?
  t1=$(date +%s%N)
  printf '%s\t%s\t%s\t%s\t%s\n' "$tool" "$round" "$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", (b-a)/1e9}')" \
    "$(tail -n 1 "$work/time.out")" "$rc" >> "$results"
  [ "$rc" = 0 ] || { echo "  $tool round $round: exit $rc" >&2; tail -n 3 "$work/$tool.err" >&2; }
}

cat "$corpus" > /dev/null
for r in $(seq 1 "$RUNS"); do
  for tool in $TOOLS; do
    st=$(store_of "$tool")
    rm -rf -- "$st" "$st-wal" "$st-shm" "$st.wal"
    echo "round $r: $tool" >&2
    case $tool in
      relops) measure relops "$r" env RELOPS_CONFIG="$here/relops.yaml" "$relops" --db "$st" --format json -c "load $corpus" ;;
      relops-otlp) [ -r "$otlp" ] || continue
        measure relops-otlp "$r" env RELOPS_CONFIG="$here/relops.yaml" "$relops" --db "$st" --format json -c "load $otlp" ;;
      sqlite) measure sqlite "$r" sqlite3 "$st" ".read $work/sqlite-load.sql" ;;
      duckdb) measure duckdb "$r" "$PY" "$peers" load duckdb "$corpus" "$st" ;;
    esac
  done
done

"$PY" - "$results" "$work" "$corpus" "$otlp" <<'PYSUM' | tee "$work/table.md"
import os, statistics, sys, collections
results, work, corpus, otlp = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
rows = [l.rstrip("\n").split("\t") for l in open(results) if l.strip()]
by = collections.defaultdict(dict)
for tool, rnd, sec, rss, rc in rows:
    if rc == "0":
        by[tool][int(rnd)] = (float(sec), int(rss))
stores = {"relops": "relops.db", "relops-otlp": "relops-otlp.db", "sqlite": "sqlite.db", "duckdb": "duck.duckdb"}
def size(tool):
    base = os.path.join(work, stores[tool])
    return sum(os.path.getsize(p) for p in (base, base + "-wal", base + ".wal") if os.path.exists(p))
def ratio(tool, peer):
    common = sorted(set(by[tool]) & set(by.get(peer, {})))
    return statistics.median(by[tool][r][0] / by[peer][r][0] for r in common) if common else float("nan")
spans = sum(1 for _ in open(corpus))
def mb(tool):
    path = otlp if tool == "relops-otlp" else corpus
    return os.path.getsize(path) / 1e6
print("| tool | input | load s (median) | runs | spans/s | MB/s of its input | peak RSS MiB | store MB | × DuckDB | × sqlite3 |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for tool in ["relops", "relops-otlp", "sqlite", "duckdb"]:
    if not by.get(tool):
        continue
    secs = [v[0] for v in by[tool].values()]
    med = statistics.median(secs)
    rss = max(v[1] for v in by[tool].values()) / 1024
    name = "OTLP/JSON" if tool == "relops-otlp" else "native JSONL"
    print(f"| {tool} | {name} | {med:.1f} | {len(secs)} | {spans/med:,.0f} | {mb(tool)/med:,.0f} | {rss:,.0f} | {size(tool)/1e6:,.0f} | {ratio(tool,'duckdb'):.2f} | {ratio(tool,'sqlite'):.2f} |")
PYSUM
