#!/usr/bin/env bash
# Rerank latency: one query against 50 candidates, as Memoir's retrieval stage scores the 50 retrieved cases.
# Memoir's Swift cross-encoder against PyTorch (transformers) and onnxruntime on the same full cross-encoder
# (all-MiniLM-L6-v2's encoder with a seeded head, made by peer.py --make-model), same pairs, same threads; and,
# separately, the shipped late-interaction reranker (caption states cached, as the case store keeps them).
# Rounds interleaved; the best round of each counts. Writes Benchmarks/results/rerank.{json,md}.
#
#   bash Benchmarks/rerank/run.sh              # THREADS=2 REPEATS=3 QUERIES=20; pairs from the demo store (Scripts/demo.sh)
#   THREADS=1 DB=path/to/memoir.sqlite bash Benchmarks/rerank/run.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
threads="${THREADS:-2}"
repeats="${REPEATS:-3}"
queries="${QUERIES:-20}"
db="${DB:-cohorts/demo-400/memoir.sqlite}"
home="${MEMOIR_HOME:-$HOME/.cache/memoir}"
work=".cache/bench"
pairs="$work/rerank-pairs.json"
full="$work/rerank-full"
results="Benchmarks/results"
say() { printf '[bench] %s\n' "$*" >&2; }

[ -f "$db" ] || { say "no case store at $db: run bash Scripts/demo.sh first, or set DB"; exit 1; }
python=".venv-ref/bin/python"
[ -x "$python" ] || { say "no .venv-ref: run bash Scripts/setup-reference.sh --pinned"; exit 1; }
mkdir -p "$work" "$results"

# Queries: $QUERIES test-split captions; passages: the training split's captions (what the index holds).
python3 - "$db" "$pairs" "$queries" <<'PY'
import json, re, sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
# The recorded diagnosis and CDR-SB leave a query, as Memoir's query description leaves them out.
strip = re.compile(r"\s*(?:Diagnosis|CDR-SB)[^.]*\.(?:\s*\d+[^.]*\.)?")
queries = [strip.sub("", r[0]) for r in db.execute("select caption from subjects where split='test' order by id limit ?", (int(sys.argv[3]),))]
passages = [r[0] for r in db.execute("select caption from subjects where split='train' order by id")]
tmp = sys.argv[2] + ".tmp"
json.dump({"queries": queries, "passages": passages}, open(tmp, "w"))
import os; os.replace(tmp, sys.argv[2])
PY
reranker="$home/models/reranker-minilm-adni"
[ -f "$reranker/config.json" ] || { say "no reranker at $reranker: run bash Scripts/setup.sh"; exit 1; }
[ -f "$full/model.safetensors" ] || { say "making the full cross-encoder in $full"; "$python" Benchmarks/rerank/peer.py --make-model "$full" --minilm "$home/models/all-MiniLM-L6-v2" >&2; }

scratch="${MEMOIR_BENCH_SCRATCH:-.build}"
say "building memoir-bench (release, $scratch)"
swift build -c release --product memoir-bench --scratch-path "$scratch" >&2
bench="$scratch/release/memoir-bench"

raw="$work/rerank.tmp"
: >"$raw"
for round in $(seq 1 "$repeats"); do
    say "round $round/$repeats"
    "$bench" rerank --model "$full" --pairs "$pairs" --threads "$threads" --json >>"$raw"
    # With OPENBLAS_CORETYPE set (this workplace pins it), also the kernels Memoir picks for the CPU itself.
    if [ -n "${OPENBLAS_CORETYPE:-}" ]; then
        env -u OPENBLAS_CORETYPE "$bench" rerank --model "$full" --pairs "$pairs" --threads "$threads" --json \
            | sed 's/"impl":"memoir-swift"/"impl":"memoir-swift (OPENBLAS_CORETYPE unset)"/' >>"$raw"
    fi
    "$bench" rerank --model "$reranker" --pairs "$pairs" --threads "$threads" --json >>"$raw"
    for impl in torch onnxruntime; do
        "$python" Benchmarks/rerank/peer.py --impl "$impl" --model "$full" --pairs "$pairs" --threads "$threads" 2>"$work/rerank-peer.err" | tail -n 1 >>"$raw" \
            || { say "$impl failed:"; cat "$work/rerank-peer.err" >&2; exit 1; }
    done
done

python3 - "$raw" "$results" "$threads" "$repeats" <<'PY'
import datetime, json, os, subprocess, sys
raw, results, threads, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
runs = [json.loads(l) for l in open(raw) if l.strip()]
cpu = {}
for line in open("/proc/cpuinfo"):
    if ":" in line:
        k, v = (s.strip() for s in line.split(":", 1)); cpu.setdefault(k, v)
flags = cpu.get("flags", "").split()
best = {}
for r in runs:
    if r["impl"] not in best or r["seconds_per_query"] < best[r["impl"]]["seconds_per_query"]:
        best[r["impl"]] = r
def agree(name):  # largest logit difference from PyTorch's on the first query (same weights, same pairs)
    ref = best.get("pytorch", {}).get("first_logits")
    mine = best[name].get("first_logits")
    return max(abs(a - b) for a, b in zip(mine, ref)) if ref and mine and best[name].get("join_layer", 0) == 0 else None
commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
fastest_peer = min((best[p]["seconds_per_query"], p) for p in ("pytorch", "onnxruntime") if p in best)
summary = {
    "benchmark": "cross-encoder rerank, one query against 50 candidates per forward, tokenising included",
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), "commit": commit,
    "threads": threads, "repeats": repeats, "queries": runs[0]["queries"] if runs else 0,
    "cpu": {"model": cpu.get("model name"), "vendor": cpu.get("vendor_id"), "family": cpu.get("cpu family"), "model_number": cpu.get("model"),
            "logical_cpus": os.cpu_count(), "avx2": "avx2" in flags, "avx512f": "avx512f" in flags},
    "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
    "best": {k: {kk: vv for kk, vv in v.items() if kk != "first_logits"} | {"max_logit_difference_vs_pytorch": agree(k)} for k, v in best.items()},
    # Like for like only: the late-interaction reranker is another model with its captions' states precomputed.
    "ratios": {f"{k} vs {fastest_peer[1]} (fastest peer)": fastest_peer[0] / v["seconds_per_query"]
               for k, v in best.items() if k.startswith("memoir") and v.get("join_layer", 0) == 0},
    "runs": runs,
}
json.dump(summary, open(os.path.join(results, "rerank.json"), "w"), indent=1)
c = summary["cpu"]
md = ["# Rerank latency: one query against 50 candidates", "",
      f"Produced by `bash Benchmarks/rerank/run.sh` on {summary['date']} (commit {commit}), {threads} threads, {repeats} interleaved rounds, best shown "
      f"(all rounds in `rerank.json`). Queries: {summary['queries']} test-split captions of the demo store (recorded diagnosis and CDR-SB removed, as Memoir's query description has neither); each scored against 50 training-split captions in one "
      f"forward, tokenising included, one untimed warm-up pass first. The full cross-encoder is all-MiniLM-L6-v2's encoder with a seeded "
      f"classification head (`peer.py --make-model`): every implementation runs the same weights on the same pairs.", "",
      f"CPU: {c['model']} ({c['vendor']}, family {c['family']} model {c['model_number']}, {c['logical_cpus']} logical CPUs, "
      f"AVX2 {'yes' if c['avx2'] else 'no'}, AVX-512 {'yes' if c['avx512f'] else 'no'}); OPENBLAS_CORETYPE in the environment: `{summary['OPENBLAS_CORETYPE']}`.", "",
      "| implementation | ms per query (mean) | p50 | p90 | peak RSS (MB) | kernels | largest logit difference vs PyTorch |", "|---|---:|---:|---:|---:|---|---:|"]
for k, v in sorted(best.items(), key=lambda kv: kv[1]["seconds_per_query"]):
    d = summary["best"][k]["max_logit_difference_vs_pytorch"]
    kernels = v.get("blas") or (f"torch {v['torch']}" if "torch" in v else f"onnxruntime {v.get('onnxruntime')}")
    md.append(f"| {k} | {v['seconds_per_query'] * 1000:.1f} | {v['p50_ms']:.1f} | {v['p90_ms']:.1f} | {v['peak_rss_mb']:.0f} | {kernels} | {'' if d is None else f'{d:.1e}'} |")
md += ["", "| ratio (fastest peer's time / Memoir's) | value |", "|---|---:|"] + [f"| {k} | {v:.2f}x |" for k, v in summary["ratios"].items()]
md += ["", "What each implementation computes: Memoir packs the 50 pairs without padding and computes only the [CLS] row in the "
       "last layer (all the classifier reads); PyTorch and onnxruntime pad every pair to the longest and compute every row. "
       "Same weights, same pairs, same scores (last column); the work done is each implementation's own.",
       "", "The late-interaction row is the reranker Memoir ships (`memoir_join_layer` 5): captions are encoded alone below the join layer "
       "and their states cached in the case store, so a query costs its own segment and the joined layer; it is a different model from the "
       "full cross-encoder, so its logits are not compared.", ""]
open(os.path.join(results, "rerank.md"), "w").write("\n".join(md))
print("\n".join(md))
PY
rm -f "$raw"
