#!/usr/bin/env bash
# Sentence-embedding throughput: Memoir's Swift all-MiniLM-L6-v2 against sentence-transformers
# (PyTorch) and onnxruntime on CPU, same sentences, same thread count, batch 32 and batch 1.
# Each implementation runs in its own process, one after another, REPEATS times interleaved;
# the best run of each counts. Writes Benchmarks/results/text-embedding.{json,md}.
#
#   bash Benchmarks/text/run.sh                 # THREADS=2 REPEATS=3 by default
#   THREADS=1 REPEATS=5 bash Benchmarks/text/run.sh
#
# Needs the model (Scripts/setup.sh). The Python peers need .venv-ref
# (Scripts/setup-reference.sh); without it only the Swift numbers are taken.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
threads="${THREADS:-2}"
repeats="${REPEATS:-3}"
batches=(32 1)
sentences="${SENTENCES:-Benchmarks/text/sentences.txt}"
results="Benchmarks/results"
raw="$results/text-embedding.tmp"
say() { printf '[bench] %s\n' "$*" >&2; }

[ -f "$sentences" ] || python3 Benchmarks/text/make_sentences.py

# MEMOIR_BENCH_SCRATCH=.build reuses the main release build instead of a separate one.
scratch="${MEMOIR_BENCH_SCRATCH:-.build-text-release}"
say "building memoir-bench (release, $scratch)"
swift build -c release --product memoir-bench --scratch-path "$scratch" >&2
bench="$scratch/release/memoir-bench"

python=".venv-ref/bin/python"
peers=()
if [ -x "$python" ] && "$python" -c 'import sentence_transformers, onnxruntime' 2>/dev/null; then
    peers=(sentence-transformers onnxruntime)
else
    say "no .venv-ref with sentence-transformers and onnxruntime: skipping the Python peers (bash Scripts/setup-reference.sh)"
fi

# This workplace's machines pin OPENBLAS_CORETYPE (to Haswell, AVX2). When it is set, the Swift
# side also runs once more per round with it unset, i.e. with the kernels OpenBLAS picks itself.
swift_variants=("default")
[ -n "${OPENBLAS_CORETYPE:-}" ] && swift_variants+=("coretype-unset")

mkdir -p "$results"
: >"$raw"
for round in $(seq 1 "$repeats"); do
    for batch in "${batches[@]}"; do
        for variant in "${swift_variants[@]}"; do
            say "round $round/$repeats: memoir-swift ($variant), batch $batch"
            if [ "$variant" = "default" ]; then
                line=$("$bench" embed --sentences "$sentences" --batch-size "$batch" --threads "$threads" --json)
            else
                line=$(env -u OPENBLAS_CORETYPE "$bench" embed --sentences "$sentences" --batch-size "$batch" --threads "$threads" --json)
            fi
            printf '%s\t%s\n' "$variant" "$line" >>"$raw"
        done
        for impl in "${peers[@]}"; do
            say "round $round/$repeats: $impl, batch $batch"
            line=$("$python" Benchmarks/text/peer.py --impl "$impl" --sentences "$sentences" --batch-size "$batch" --threads "$threads" 2>/dev/null | tail -n 1)
            printf '%s\t%s\n' "default" "$line" >>"$raw"
        done
    done
done

python3 - "$raw" "$results" "$threads" "$repeats" <<'PY'
import datetime, json, os, platform, subprocess, sys

raw, results, threads, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
runs = []
for line in open(raw, encoding="utf-8"):
    variant, _, payload = line.rstrip("\n").partition("\t")
    record = json.loads(payload)
    name = record["impl"]
    if variant == "coretype-unset":
        name += " (OPENBLAS_CORETYPE unset)"
    record["name"] = name
    runs.append(record)

def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"

def cpu_family():
    fields = {}
    try:
        for line in open("/proc/cpuinfo"):
            if ":" in line:
                k, v = (s.strip() for s in line.split(":", 1))
                fields.setdefault(k, v)
    except OSError:
        pass
    flags = fields.get("flags", "").split()
    return {"vendor": fields.get("vendor_id"), "family": fields.get("cpu family"), "model_number": fields.get("model"),
            "avx2": "avx2" in flags, "avx512f": "avx512f" in flags}

best = {}
for r in runs:
    key = (r["name"], r["batch_size"])
    if key not in best or r["sentences_per_second"] > best[key]["sentences_per_second"]:
        best[key] = r
names = sorted({r["name"] for r in runs}, key=lambda n: (not n.startswith("memoir-swift"), n))
batches = sorted({r["batch_size"] for r in runs}, reverse=True)

def rate(name, batch):
    r = best.get((name, batch))
    return r["sentences_per_second"] if r else None

ratios = {}
for swift in [n for n in names if n.startswith("memoir-swift")]:
    for peer in ["sentence-transformers", "onnxruntime"]:
        for batch in batches:
            a, b = rate(swift, batch), rate(peer, batch)
            if a and b:
                ratios[f"{swift} / {peer}, batch {batch}"] = round(a / b, 3)

try:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
except OSError:
    commit = ""
swift_runs = [r for r in runs if r["impl"] == "memoir-swift"]
peer_info = {}
for r in runs:
    for k in ("torch", "onnxruntime", "torch_threads", "intra_op_threads"):
        if k in r:
            peer_info[k] = r[k]
summary = {
    "benchmark": "all-MiniLM-L6-v2 sentence embeddings, end to end (tokenise, encode, mean-pool, normalise)",
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "commit": commit,
    "sentences": runs[0]["sentences"] if runs else 0,
    "sentences_file": "Benchmarks/text/sentences.txt",
    "threads": threads,
    "repeats": repeats,
    "method": "each implementation in its own process, one untimed warm-up pass then one timed pass; rounds interleaved; best of the rounds",
    "cpu": {"model": cpu_model(), "logical_cpus": os.cpu_count(), **cpu_family()},
    "openblas": {"OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
                 "kernels": sorted({r.get("blas", "") for r in swift_runs})},
    "peers": peer_info,
    "best": [{"impl": n, "batch_size": b, "sentences_per_second": round(best[(n, b)]["sentences_per_second"], 1),
              "peak_rss_mb": round(best[(n, b)]["peak_rss_mb"], 1), "seconds": round(best[(n, b)]["seconds"], 3),
              **({"blas": best[(n, b)]["blas"]} if "blas" in best[(n, b)] else {})}
             for n in names for b in batches if (n, b) in best],
    "ratios": ratios,
    "runs": runs,
}
with open(os.path.join(results, "text-embedding.json"), "w", encoding="utf-8") as f:
    json.dump(summary, f, indent=1)
    f.write("\n")

md = [
    "# Text embedding throughput: all-MiniLM-L6-v2 on CPU",
    "",
    f"{summary['sentences']} clinical-style sentences (8-60 tokens, `Benchmarks/text/sentences.txt`), embedded end to end "
    f"(tokenise, encode, mean-pool, L2-normalise) with {threads} threads. Each implementation runs in its own process: one "
    f"untimed warm-up pass, then one timed pass; {repeats} interleaved rounds, best round shown (all rounds in the JSON). "
    f"Produced by `bash Benchmarks/text/run.sh` on {summary['date']} (commit {commit or 'n/a'}).",
    "",
    f"CPU: {summary['cpu']['model']} ({summary['cpu']['logical_cpus']} logical CPUs, family {summary['cpu']['family']} model {summary['cpu']['model_number']}, "
    f"AVX2 {'yes' if summary['cpu']['avx2'] else 'no'}, AVX-512 {'yes' if summary['cpu']['avx512f'] else 'no'}). "
    f"OPENBLAS_CORETYPE in the environment: `{summary['openblas']['OPENBLAS_CORETYPE']}`; OpenBLAS kernels used: {', '.join(summary['openblas']['kernels'])}. "
    f"Peers: " + ", ".join(f"{k} {v}" for k, v in peer_info.items()) + ".",
    "",
    "| implementation | batch | sentences/s | peak RSS (MB) | BLAS |",
    "|---|---:|---:|---:|---|",
]
for row in summary["best"]:
    md.append(f"| {row['impl']} | {row['batch_size']} | {row['sentences_per_second']:.1f} | {row['peak_rss_mb']:.0f} | {row.get('blas', '')} |")
md += ["", "| ratio | value |", "|---|---:|"]
for k, v in ratios.items():
    md.append(f"| {k} | {v:.2f}x |")
md += ["", "Notes:", "",
       "- `memoir-swift` runs with the environment as it is. When `OPENBLAS_CORETYPE` is set (this workplace pins it to "
       "`Haswell`, i.e. AVX2 kernels, on CPUs that have AVX-512), `memoir-swift (OPENBLAS_CORETYPE unset)` shows the same binary "
       "with the kernels OpenBLAS selects for the CPU itself. PyTorch and onnxruntime do not use OpenBLAS and pick their kernels "
       "from the CPU regardless.",
       "- BLAS: the OpenBLAS kernel family for GEMMs over many rows (batch 32), and the kernel of Memoir's few-row GEMM "
       "against weights packed at load (`PackedWeight`, used up to 128 rows: batch 1), chosen by CPU feature.",
       "- Peak RSS is the process's maximum resident set (model, activations and, for the peers, the Python runtime).",
       ""]
with open(os.path.join(results, "text-embedding.md"), "w", encoding="utf-8") as f:
    f.write("\n".join(md))
print("\n".join(md))
PY
rm -f "$raw"
