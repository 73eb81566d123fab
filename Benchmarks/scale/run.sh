#!/usr/bin/env bash
# The case store and the ask path at scale: synth (clinical rows only) → ingest → encode → index → retrieve → ask,
# each step under /usr/bin/time -v (wall time, peak RSS); the 10^5 results are in Benchmarks/results/scale-1e5.md.
#
#   bash Benchmarks/scale/run.sh DATA_DIR [SUBJECTS]      # SUBJECTS defaults to 100000
#
# Works from any folder. DATA_DIR receives the cohort, the store, the index, each step's output (<step>.out)
# and time report (<step>.time), and summary.tsv (step, wall seconds, peak RSS MiB). The memoir binary is
# $MEMOIR_BIN, else this clone's .build/release/memoir (build it first: swift build -c release --product memoir).
# The ask needs an LLM: $MEMOIR_LLM_URL (and $MEMOIR_LLM_API_KEY), else the server `Scripts/llm.sh start` left
# running; MEMOIR_SCALE_SKIP_ASK=1 skips it. MEMOIR_SCALE_RERANK_STATES=1 lets `memoir index` precompute the
# reranker's caption states for the whole library (about 25 ms per case on 2 idle cores: 30+ minutes at 10^5);
# by default they are skipped and the ask computes its 50 candidates' states itself, once.
set -euo pipefail

[ $# -ge 1 ] || { sed -n 2,13p "$0"; exit 2; }
DATA=$(mkdir -p "$1" && cd "$1" && pwd)
SUBJECTS=${2:-100000}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
MEMOIR=${MEMOIR_BIN:-$ROOT/.build/release/memoir}
[ -x "$MEMOIR" ] || { echo "no memoir binary at $MEMOIR (swift build -c release --product memoir)" >&2; exit 1; }
unset OPENBLAS_CORETYPE
DB="$DATA/memoir.sqlite"
QUESTION="What is the most likely diagnosis, and why?"
SUMMARY="$DATA/summary.tsv"
: > "$SUMMARY"

# step NAME CMD...: runs CMD under /usr/bin/time -v, output in NAME.out, appends "NAME wall_s rss_mib" to summary.tsv.
step() {
    local name=$1; shift
    echo "== $name: $*" >&2
    /usr/bin/time -v -o "$DATA/$name.time" "$@" > "$DATA/$name.out" 2> "$DATA/$name.err" \
        || { echo "$name failed; see $DATA/$name.err" >&2; tail -5 "$DATA/$name.err" >&2; exit 1; }
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$DATA/$name.time")
    rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$DATA/$name.time")
    printf '%s\t%s\t%s\n' "$name" "$wall" "$rss" | tee -a "$SUMMARY" >&2
}

{ echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') × $(nproc)"
  echo "memoir: $("$MEMOIR" --version 2>/dev/null | head -1)"
  echo "subjects: $SUBJECTS"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"; } > "$DATA/machine.txt"

rm -rf "$DATA/cohort" "$DB" "$DB"-* "$DATA/memoir.index"
step synth "$MEMOIR" synth --out "$DATA/cohort" --subjects "$SUBJECTS" --no-images
step ingest "$MEMOIR" ingest "$DATA/cohort/cohort.csv" --db "$DB"
step encode "$MEMOIR" encode --db "$DB" --json
if [ "${MEMOIR_SCALE_RERANK_STATES:-0}" = 1 ]; then
    step index "$MEMOIR" index --db "$DB" --json
else
    step index "$MEMOIR" index --db "$DB" --no-rerank-states --json
fi
step case_list "$MEMOIR" case list --db "$DB" --split test --json
CASE=$(head -1 "$DATA/case_list.out" | python3 -c 'import json, sys; print(json.loads(sys.stdin.readline())["id"])')
echo "test case: $CASE" >> "$DATA/machine.txt"
step retrieve "$MEMOIR" retrieve --db "$DB" --case "$CASE" -k 50 --json
step retrieve_again "$MEMOIR" retrieve --db "$DB" --case "$CASE" -k 50 --json
if [ "${MEMOIR_SCALE_SKIP_ASK:-0}" != 1 ]; then
    step ask "$MEMOIR" ask --db "$DB" --case "$CASE" "$QUESTION" --json
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print("ask stages:", json.dumps(d["timings"]), "verdict:", d["verdict"]["status"])' \
        "$DATA/ask.out" | tee -a "$DATA/machine.txt"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$DATA/machine.txt"
cat "$DATA/machine.txt" "$SUMMARY"
