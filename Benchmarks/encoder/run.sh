#!/usr/bin/env bash
# Fused-encoder inference on CPU: Memoir's Swift FusedEncoder against the PyTorch reference model
# (Training/memoir_encoder/model.py, torch.set_num_threads(THREADS), inference_mode), same weights and
# same preprocessed case (T1 + FA + clinical), batch 1. Two configurations:
#   full  MEMOIR size: width 64, 91×109×91 input, input_pool 1 (~69 M parameters), random-initialised
#         by peer.py into a temporary directory (not committed);
#   w16   the shipped Models/fused-encoder-w16 (width 16, input pooled 2×).
# Also times a plain cblas_sgemm of the encoder's heaviest GEMM shape, so the encoder's GFLOP/s can be
# read as a fraction of what OpenBLAS reaches on this machine. Each implementation runs in its own
# process, REPEATS rounds interleaved; the best round counts. Writes Benchmarks/results/encoder.{json,md}.
#
#   bash Benchmarks/encoder/run.sh            # THREADS=2 REPEATS=3 FORWARDS=3 by default
#
# Both implementations also run with 1 thread: multi-threaded runs (OpenMP in PyTorch, OpenBLAS and
# Dispatch in Swift) slow down badly when other processes hold the cores, single-threaded ones much less.
#
# OPENBLAS_CORETYPE: this workplace's machines may set it (to Haswell), which forces OpenBLAS's AVX2
# kernels even on AVX-512 CPUs and slows its SGEMM; the script unsets it so OpenBLAS picks its kernels
# from the CPU, and records the kernel family it used. PyTorch (oneDNN/MKL) does not read it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
threads="${THREADS:-2}"
repeats="${REPEATS:-3}"
forwards="${FORWARDS:-3}"
results="Benchmarks/results"
python=".venv-ref/bin/python"
say() { printf '[bench] %s\n' "$*" >&2; }

coretype_was="${OPENBLAS_CORETYPE:-}"
unset OPENBLAS_CORETYPE
[ -n "$coretype_was" ] && say "OPENBLAS_CORETYPE was '$coretype_was': unset for this run"

if [ ! -x "$python" ] || ! "$python" -c 'import torch, safetensors' 2>/dev/null; then
    say "needs .venv-ref with torch and safetensors (bash Scripts/setup-reference.sh): the Swift side is timed against the PyTorch model's weights, which only it can make"
    exit 1
fi

say "building memoir-bench (release)"
swift build -c release --product memoir-bench >&2
bench=".build/release/memoir-bench"

work="$(mktemp -d "${TMPDIR:-/tmp}/memoir-encoder-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
say "making the full-size model and the test case in $work"
"$python" Benchmarks/encoder/peer.py make --out "$work/full" --width 64 --input-pool 1 >"$work/full.json"
"$python" Benchmarks/encoder/peer.py inputs --model "$work/full" --out "$work/inputs-full"
"$python" Benchmarks/encoder/peer.py inputs --model Models/fused-encoder-w16 --out "$work/inputs-w16"

raw="$work/raw.jsonl"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
thread_counts=("$threads"); [ "$threads" != 1 ] && thread_counts+=(1)
for round in $(seq 1 "$repeats"); do
    for t in "${thread_counts[@]}"; do
        say "round $round/$repeats: cblas_sgemm, $t threads"
        printf '{"config":"sgemm","run":%s}\n' "$("$bench" sgemm --threads "$t" --json)" >>"$raw"
        for config in full w16; do
            model="$work/full"; [ "$config" = w16 ] && model="Models/fused-encoder-w16"
            n="$forwards"; [ "$config" = w16 ] && n=$((forwards * 5))
            say "round $round/$repeats: $config, memoir-swift, $t threads"
            printf '{"config":"%s","run":%s}\n' "$config" \
                "$("$bench" encoder --model "$model" --inputs "$work/inputs-$config" --repeats "$n" --threads "$t" --json)" >>"$raw"
            say "round $round/$repeats: $config, pytorch, $t threads"
            printf '{"config":"%s","run":%s}\n' "$config" \
                "$("$python" Benchmarks/encoder/peer.py time --model "$model" --inputs "$work/inputs-$config" --threads "$t" --repeats "$n" | tail -n 1)" >>"$raw"
        done
    done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

mkdir -p "$results"
"$python" - "$raw" "$work/full.json" "$results" "$threads" "$repeats" "$coretype_was" "$load_before" "$load_after" <<'PY'
import datetime, json, os, platform, sys

raw, full_info, results, threads, repeats, coretype_was, load_before, load_after = sys.argv[1:9]
runs = [json.loads(line) for line in open(raw)]
full = json.load(open(full_info))
w16 = json.load(open("Models/fused-encoder-w16/config.json"))

def select(config, impl, threads):
    return [r["run"] for r in runs if r["config"] == config and r["run"]["impl"] == impl and r["run"]["threads"] == threads]

def best(config, impl, threads):
    rows = select(config, impl, threads)
    key = "seconds_best" if impl == "cblas_sgemm" else "seconds_per_case_best"
    return min(rows, key=lambda r: r[key]) if rows else None

def cpu_model():
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()

thread_counts = sorted({r["run"]["threads"] for r in runs}, reverse=True)
rows, speedup, sgemm = [], {}, {}
for t in thread_counts:
    sgemm[t] = best("sgemm", "cblas_sgemm", t)
    for config in ("full", "w16"):
        for impl in ("memoir-swift", "pytorch"):
            r = best(config, impl, t)
            medians = sorted(x["seconds_per_case_median"] for x in select(config, impl, t))
            rows.append({"config": config, **r, "slowest_round_median": medians[-1],
                         "fraction_of_sgemm": r["gflops_per_second"] / sgemm[t]["gflops_per_second"]})
        speedup[f"{config}, {t} thread{'s' if t > 1 else ''}"] = (best(config, "pytorch", t)["seconds_per_case_best"]
                                             / best(config, "memoir-swift", t)["seconds_per_case_best"])
import torch
out = {
    "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    "cpu": cpu_model(), "cores": os.cpu_count(), "threads": thread_counts, "rounds": int(repeats),
    "openblas_coretype_in_environment": coretype_was or None, "openblas_coretype_used": "unset (OpenBLAS picks from the CPU)",
    "load_average_before": load_before, "load_average_after": load_after, "torch": torch.__version__,
    "full_model": {"parameters": full["parameters"], "gflops_per_volume": full["gflops_per_volume"], "width": 64, "input_pool": 1},
    "w16_model": {"width": w16["width"], "input_pool": w16["input_pool"]},
    "sgemm": sgemm, "best": rows, "pytorch_over_swift_seconds": speedup, "runs": runs,
}
with open(os.path.join(results, "encoder.json"), "w") as f:
    json.dump(out, f, indent=1)

names = {"full": f"full MEMOIR (width 64, 91×109×91, {full['parameters'] / 1e6:.1f} M params, {2 * full['gflops_per_volume']:.1f} GFLOP/case)",
         "w16": "shipped w16 (width 16, input pooled 2×)"}
blas_kernels = sgemm[thread_counts[0]]["blas"].split()[-1]
md = ["# Fused encoder inference: Swift vs PyTorch", "",
      f"{out['date']}, {out['cpu']}, {out['cores']} cores, batch 1, best of {repeats} rounds (each process: one warm-up "
      f"forward, then several timed). One case = T1 + FA ResNets, clinical MLP, fusion, heads. OPENBLAS_CORETYPE "
      f"{'was ' + repr(coretype_was) + ' and was ' if coretype_was else 'was not set; '}unset for the run (OpenBLAS used its "
      f"`{blas_kernels}` kernels). Load average (1, 5, 15 min) before/after: {load_before} / {load_after}: other work shared "
      "the cores, so the best round is the fairest figure and \"slowest round\" shows the spread.", "",
      "| configuration | implementation | threads | s/case (best) | s/case (median of slowest round) | GFLOP/s | fraction of sgemm | peak RSS (MB) |",
      "|---|---|---:|---:|---:|---:|---:|---:|"]
for r in rows:
    md.append(f"| {names[r['config']]} | {r['impl']} | {r['threads']} | {r['seconds_per_case_best']:.3f} | "
              f"{r['slowest_round_median']:.3f} | {r['gflops_per_second']:.1f} | {r['fraction_of_sgemm']:.2f} | {r['peak_rss_mb']:.0f} |")
md += ["", "PyTorch / Swift time per case (best rounds): " + ", ".join(f"{k} {v:.2f}×" for k, v in speedup.items()) + ".", ""]
md += ["Plain `cblas_sgemm` {m}×{n}×{k} (the stage-1 3×3×3 convolution's GEMM at full size): ".format(**sgemm[thread_counts[0]])
       + ", ".join(f"{sgemm[t]['gflops_per_second']:.1f} GFLOP/s with {t} thread{'s' if t > 1 else ''}" for t in thread_counts)
       + "; \"fraction of sgemm\" divides by the figure for the same thread count. GFLOP/s counts a direct convolution's"
       + " multiply-adds for both sides; Swift's Winograd layers do fewer, so its figure is an effective rate and can exceed 1 of sgemm."]
if len(thread_counts) > 1:
    scaling = sgemm[thread_counts[0]]["gflops_per_second"] / sgemm[1]["gflops_per_second"]
    if scaling < 0.65 * thread_counts[0]:
        md += [f"Here the {thread_counts[0]}-thread sgemm ran only {scaling:.2f}× as fast as the 1-thread one: other processes held "
               "the other cores for much of the run, so the multi-threaded rows measure how each implementation copes with "
               "that as much as its speed, and the 1-thread rows are the cleaner comparison."]
md += ["The Swift output matches PyTorch's on the same weights and case (max |Δz| "
       + ", ".join(f"{c} {best(c, 'memoir-swift', thread_counts[0])['max_abs_diff_z_vs_pytorch']:.1e}" for c in ("full", "w16")) + ").", ""]
md += [f"PyTorch {torch.__version__} (CPU, `torch.set_num_threads(N)`, `inference_mode`, batch norm unfused as in eval mode); "
       "Swift folds batch norm into the convolutions at load; 3×3×3 stride-1 convolutions with at least 27 output tiles run as Winograd F(2×2×2, 3×3×3) (64 OpenBLAS sgemms on transformed tiles), the others as im2col + sgemm.", ""]
with open(os.path.join(results, "encoder.md"), "w") as f:
    f.write("\n".join(md))
print("\n".join(md))
PY
