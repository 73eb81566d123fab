#!/usr/bin/env bash
# BERTScore throughput: Memoir's Swift BERTScorer against the bert-score package 0.3.13 (PyTorch,
# CPU) on the same 1,000 answer/reference pairs, same model (all-MiniLM-L6-v2), same layer (5),
# same thread count, idf off and on. Each side runs in its own process: model loaded once, one
# untimed warm-up pass, one timed pass. Also checks that both give the same scores.
# Writes Benchmarks/results/bertscore.{json,md}.
#
#   bash Benchmarks/bertscore/run.sh            # THREADS=2 LAYER=5
#
# OPENBLAS_CORETYPE is unset for the Swift side: this workplace pins it to Haswell (AVX2
# kernels) on AVX-512 CPUs, which roughly halves OpenBLAS SGEMM throughput; PyTorch does not use
# OpenBLAS and picks its kernels from the CPU either way (see Benchmarks/README.md).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
unset OPENBLAS_CORETYPE
threads="${THREADS:-2}"
layer="${LAYER:-5}"
here="Benchmarks/bertscore"
results="Benchmarks/results"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
say() { printf '[bench] %s\n' "$*" >&2; }

[ -f "$here/candidates.txt" ] && [ -f "$here/references.txt" ] || python3 "$here/make_pairs.py" >&2

say "building memoir-bench (release)"
swift build -c release --product memoir-bench >&2
bench=".build/release/memoir-bench"

python=".venv-ref/bin/python"
peer=1
if ! { [ -x "$python" ] && "$python" -c 'import bert_score' 2>/dev/null; }; then
    say "no .venv-ref with bert-score: reporting the Swift side only (bash Scripts/setup-reference.sh)"
    peer=0
fi

: >"$work/runs.jsonl"
say "cblas_sgemm of a feed-forward-shaped product (4,096 tokens × 384 → 1,536), $threads threads: this machine's dense-math rate"
"$bench" sgemm --m 4096 --n 1536 --k 384 --threads "$threads" --repeats 20 --json >"$work/sgemm.json"
export LOAD_AT_START="$(cut -d' ' -f1-3 /proc/loadavg)"
for idf in no-idf idf; do
    flag=(); [ "$idf" = idf ] && flag=(--idf)
    say "memoir-swift, layer $layer, $idf"
    "$bench" bertscore --candidate-file "$here/candidates.txt" --reference-file "$here/references.txt" --layer "$layer" "${flag[@]}" \
        --threads "$threads" --scores "$work/swift-$idf.json" --json >>"$work/runs.jsonl"
    if [ "$peer" = 1 ]; then
        say "bert-score, layer $layer, $idf"
        "$python" "$here/peer.py" --candidate-file "$here/candidates.txt" --reference-file "$here/references.txt" --layer "$layer" "${flag[@]}" \
            --threads "$threads" --scores "$work/python-$idf.json" 2>/dev/null | tail -n 1 >>"$work/runs.jsonl"
    fi
done

python3 - "$work" "$results" "$threads" <<'PY'
import datetime, json, os, platform, subprocess, sys

work, results, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
runs = [json.loads(l) for l in open(os.path.join(work, "runs.jsonl")) if l.strip()]

def cpu():
    fields = {}
    try:
        for line in open("/proc/cpuinfo"):
            if ":" in line:
                k, v = (s.strip() for s in line.split(":", 1))
                fields.setdefault(k, v)
    except OSError:
        pass
    flags = fields.get("flags", "").split()
    return {"model": fields.get("model name", platform.processor()), "logical_cpus": os.cpu_count(),
            "avx2": "avx2" in flags, "avx512f": "avx512f" in flags}

settings = []
for idf in ("no-idf", "idf"):
    flag = idf == "idf"
    swift = next((r for r in runs if r["impl"] == "memoir-swift" and r["idf"] == flag), None)
    peer = next((r for r in runs if r["impl"] == "bert-score" and r["idf"] == flag), None)
    entry = {"idf": flag, "swift": swift, "bert_score": peer}
    if swift and peer:
        entry["speedup"] = round(peer["seconds"] / swift["seconds"], 2)
        a = json.load(open(os.path.join(work, f"swift-{idf}.json")))
        b = json.load(open(os.path.join(work, f"python-{idf}.json")))
        entry["max_abs_difference"] = {k: max(abs(x - y) for x, y in zip(a[k], b[k])) for k in ("P", "R", "F")}
    settings.append(entry)

sgemm = json.load(open(os.path.join(work, "sgemm.json")))
swift_runs = [e["swift"] for e in settings if e["swift"]]
gflop = swift_runs[0]["forward_gflop"] if swift_runs else None
ceiling = None
if gflop:
    for e in settings:
        if e["bert_score"]:
            e["bert_score"]["forward_gflops_per_second"] = gflop / e["bert_score"]["seconds"]
    fastest_peer = min((e["bert_score"]["seconds"] for e in settings if e["bert_score"]), default=None)
    ceiling = {"forward_gflop": gflop, "sgemm": sgemm,
               "needed_for_3x_gflops_per_second": 3 * gflop / fastest_peer if fastest_peer else None}

commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
summary = {
    "benchmark": "BERTScore (all-MiniLM-L6-v2), 1,000 answer/reference pairs, end to end (tokenise, idf, layer forward, greedy matching)",
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "commit": commit, "threads": threads, "cpu": cpu(),
    "method": "each side in its own process; model loaded once; one untimed warm-up pass, then one timed pass; one run",
    "openblas_coretype": "unset for the Swift side (the workplace pins Haswell kernels; OpenBLAS then picks its own)",
    "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
    "load_average_at_start": [float(x) for x in os.environ.get("LOAD_AT_START", "").split()[:3]],
    "pairs_files": ["Benchmarks/bertscore/candidates.txt", "Benchmarks/bertscore/references.txt"],
    "settings": settings,
    "arithmetic_ceiling": ceiling,
}
os.makedirs(results, exist_ok=True)
with open(os.path.join(results, "bertscore.json"), "w") as f:
    json.dump(summary, f, indent=1)
    f.write("\n")

layer = runs[0]["layer"] if runs else "?"
md = ["# BERTScore throughput: Memoir (Swift) vs bert-score 0.3.13 (PyTorch), CPU", "",
      f"1,000 answer/reference pairs (`Benchmarks/bertscore/make_pairs.py`), all-MiniLM-L6-v2 layer {layer}, {threads} threads, "
      f"end to end: tokenise, idf weights from the references (idf rows), forward to layer {layer}, greedy matching. Each side in its own "
      f"process with the model loaded once, one untimed warm-up pass, then one timed pass (one run). Produced by "
      f"`bash Benchmarks/bertscore/run.sh` on {summary['date']} (commit {commit or 'n/a'}).", "",
      f"CPU: {summary['cpu']['model']} ({summary['cpu']['logical_cpus']} logical CPUs, AVX2 {'yes' if summary['cpu']['avx2'] else 'no'}, "
      f"AVX-512 {'yes' if summary['cpu']['avx512f'] else 'no'}). OPENBLAS_CORETYPE unset for the Swift side (the workplace pins it to "
      f"Haswell; unset, OpenBLAS picks the kernels for the CPU itself; PyTorch does not use OpenBLAS). "
      f"Load average (1/5/15 min) at start {summary['load_average_at_start']}, at end {summary['load_average_at_end']}: "
      f"other jobs on this {summary['cpu']['logical_cpus']}-CPU machine slow both sides.", "",
      "| idf | memoir-swift pairs/s | bert-score pairs/s | speed-up | swift peak RSS (MB) | bert-score peak RSS (MB) | max abs diff P / R / F |",
      "|---|---:|---:|---:|---:|---:|---|"]
for e in settings:
    s, p = e["swift"], e["bert_score"]
    diff = e.get("max_abs_difference")
    md.append(f"| {'on' if e['idf'] else 'off'} | {s['pairs_per_second']:.1f} | {p['pairs_per_second']:.1f} | {e['speedup']:.2f}x | "
              f"{s['peak_rss_mb']:.0f} | {p['peak_rss_mb']:.0f} | " + (" / ".join(f"{diff[k]:.1e}" for k in ('P', 'R', 'F')) if diff else "") + " |"
              if s and p else f"| {'on' if e['idf'] else 'off'} | {s['pairs_per_second']:.1f} | n/a | n/a | {s['peak_rss_mb']:.0f} | n/a | |")
md += ["", "Targets (issue 16): at least on par with the package, and an effective rate of at least 80 % of this machine's measured "
       "sgemm rate. An earlier issue asked for 3x the package; the arithmetic below shows why that is out of reach.", ""]
if ceiling:
    s0 = swift_runs[0]
    peer_rates = [e["bert_score"]["forward_gflops_per_second"] for e in settings if e["bert_score"]]
    md += [f"Arithmetic: the {s0['distinct_texts']:,} distinct texts ({s0['distinct_tokens']:,} tokens) need {gflop:,.0f} GFLOP through "
           f"{layer} encoder layers, on either side. Effective rates: Swift "
           + ", ".join(f"{e['swift']['forward_gflops_per_second']:.0f}" for e in settings if e["swift"]) + " GFLOP/s"
           + (", bert-score " + ", ".join(f"{r:.0f}" for r in peer_rates) + " GFLOP/s" if peer_rates else "")
           + f" (idf off, on). A plain cblas_sgemm {sgemm['m']}×{sgemm['k']}→{sgemm['n']} runs at {sgemm['gflops_per_second']:.0f} GFLOP/s "
           f"on {threads} threads here, so Swift reaches "
           + ", ".join(f"{100 * e['swift']['forward_gflops_per_second'] / sgemm['gflops_per_second']:.0f} %" for e in settings if e["swift"])
           + " of it (idf off, on)." + (f" 3x the package would need {ceiling['needed_for_3x_gflops_per_second']:.0f} GFLOP/s, "
           f"{ceiling['needed_for_3x_gflops_per_second'] / sgemm['gflops_per_second']:.1f}x what sgemm itself reaches: not reachable in float32 "
           "without doing less arithmetic than the model defines." if ceiling["needed_for_3x_gflops_per_second"] else ""), ""]
md += [
       "Notes:", "",
       "- bert-score runs with its defaults (slow tokenizer, batch size 64 padded to the longest text, idf through a "
       f"multiprocessing pool of {threads}); `torch.set_num_threads({threads})`.",
       "- The Swift side embeds each distinct text once, packed without padding, and matches pairs in parallel; it keeps "
       "the package's padding rule (a best match is never below 0 when the other side is padded in its batch of 64), "
       "so the scores agree (last column).", ""]
with open(os.path.join(results, "bertscore.md"), "w") as f:
    f.write("\n".join(md))
print("\n".join(md))
PY
