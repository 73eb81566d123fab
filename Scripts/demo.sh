#!/usr/bin/env bash
# The main job, end to end on a fresh machine: install, build, generate a synthetic ADNI-like cohort,
# ingest it, encode and index the training split, start a local LLM, and answer a real question about a
# held-out case, grounded in its most similar training subjects.
#
#   MEMOIR_DEMO_SUBJECTS   cohort size (default 400; 2363 mirrors MEMOIR-VLM and takes ~4 min more)
#   MEMOIR_DEMO_MODEL      qwen0.5b (default, Qwen2.5-Coder-0.5B-Instruct) | smollm2 (135M, fastest, weakest) | qwen1.5b
#   MEMOIR_DEMO_QUESTION   the question
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
subjects="${MEMOIR_DEMO_SUBJECTS:-400}"
model="${MEMOIR_DEMO_MODEL:-qwen0.5b}"
question="${MEMOIR_DEMO_QUESTION:-What is the most likely diagnosis for this subject, and which findings support it?}"
work="$root/cohorts/demo-$subjects"
db="$work/memoir.sqlite"
say() { printf '\n== %s\n' "$*"; }
# Some machines force OpenBLAS onto its AVX2 kernels on AVX-512 CPUs, which halves GEMM speed
# (Benchmarks/README.md); let OpenBLAS pick its own kernels.
unset OPENBLAS_CORETYPE

say "Installing (Debian packages, model packages, local LLM: $model)"
bash Scripts/setup.sh
bash Scripts/llm.sh install "$model"

say "Building"
swift build -c release --product memoir
memoir="$root/.build/release/memoir"
# Put `memoir` on PATH so the README's commands work as written, from any folder.
bin=/usr/local/bin
[ -w "$bin" ] || { bin="$HOME/.local/bin"; mkdir -p "$bin"; }
ln -sfn "$memoir" "$bin/memoir"
case ":$PATH:" in *":$bin:"*) ;; *) printf 'note: add %s to PATH to run `memoir` directly\n' "$bin" >&2 ;; esac

say "Synthetic cohort: $subjects subjects (seed 1) → $work"
if [ ! -f "$work/cohort.csv" ]; then
    "$memoir" synth --subjects "$subjects" --seed 1 --out "$work.tmp"
    rm -rf "$work" && mv "$work.tmp" "$work"
fi
"$memoir" ingest "$work/cohort.csv" --db "$db"

say "Encoding every case with the shipped fused encoder and indexing the training split"
"$memoir" encode --db "$db"
"$memoir" index --db "$db"   # the index goes beside the store: $work/memoir.index

say "Starting the local LLM ($model)"
bash Scripts/llm.sh start "$model" >/dev/null
trap 'bash Scripts/llm.sh stop >/dev/null 2>&1 || true' EXIT
# memoir finds the launcher's server and its generated key under $MEMOIR_HOME/llm by itself.

case_id="$("$memoir" case list --db "$db" --split test --diagnosis Dementia | sed -n 1p)"
say "The held-out case $case_id, as stored (its diagnosis is hidden from retrieval and the LLM)"
"$memoir" case show "$case_id" --db "$db"

say "memoir ask --case $case_id \"$question\""
"$memoir" ask --db "$db" --case "$case_id" "$question"

say "Explore it in the web workspace (the case's slices, its neighbours, streamed and verified answers)"
printf 'bash Scripts/llm.sh start %s && memoir serve --db %s    # then open the URL it prints\n' "$model" "$db"
