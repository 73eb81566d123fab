#!/usr/bin/env bash
# The main job, end to end on a fresh machine. For now: install, build, and embed and rerank
# sample clinical sentences with the native MiniLM models.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash Scripts/setup.sh
swift build -c release --product memoir
memoir=.build/release/memoir
echo "== Token ids"
"$memoir" tokenize "Carries one APOE ε4 allele; MMSE is 24."
echo "== Embeddings (first 6 of 384 dimensions)"
"$memoir" embed "MMSE is 24." "Carries one APOE ε4 allele." | awk -F'\t' '{ split($2, v, " "); printf "%-32s %s %s %s %s %s %s ...\n", $1, v[1], v[2], v[3], v[4], v[5], v[6] }'
