#!/usr/bin/env python3
"""Time to the first word: Memoir's LLM stage against llama.cpp's own rates, in the same run.

For each thread count, (re)starts the launcher's server (`Scripts/llm.sh start MODEL` with
MEMOIR_LLM_THREADS), then for a few test cases asks a first question and a follow-up about the same case
with `memoir ask --json` (temperature 0). Each reply carries llama.cpp's own timings (`server_timings`:
prompt tokens it evaluated, tokens served from its prefix cache, generated tokens, milliseconds), so the
client-side figures are compared with the server's for the same token counts:

- TTFT ratio = Memoir's time to first token / (server prompt ms + one generated token's ms);
- LLM-stage ratio = Memoir's LLM stage / (server prompt ms + generated ms);
both only for asks answered in one round: a repair round sends a second request, and the server's timings
are those of the last one while the time to first token is the first's.

Writes a Markdown table (and JSON beside it) naming the CPU, model and threads.

    python3 Benchmarks/llm/ttft.py --db cohorts/demo-400/memoir.sqlite --model qwen0.5b --threads 1,2 \
        --out Benchmarks/results/llm-ttft.md
"""
import argparse, json, os, shutil, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIRST = "What is the most likely diagnosis for this subject, and why?"
FOLLOW_UP = "How does this subject's MMSE compare with the similar subjects'?"


def run(cmd, env=None, check=True):
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if check and r.returncode != 0:
        sys.exit("%s failed (%d): %s" % (" ".join(cmd), r.returncode, r.stderr[-800:]))
    return r


def add_ratios(row):
    s = row.get("server")
    if not s or row.get("repair_rounds") != 0 or row.get("ttft") is None or s["generated_tokens"] <= 0:
        return
    per_token = s["generated_ms"] / s["generated_tokens"]
    row["ttft_ratio"] = row["ttft"] / ((s["prompt_ms"] + per_token) / 1000)
    if row.get("llm"):
        row["llm_ratio"] = row["llm"] / ((s["prompt_ms"] + s["generated_ms"]) / 1000)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--model", default="qwen0.5b")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--cases", type=int, default=3)
    ap.add_argument("--max-tokens", type=int, default=200)
    ap.add_argument("--memoir", default=shutil.which("memoir") or os.path.join(ROOT, ".build/release/memoir"))
    ap.add_argument("--out", default=os.path.join(ROOT, "Benchmarks/results/llm-ttft.md"))
    ap.add_argument("--render", help="only re-render the table from a JSON file this script wrote")
    args = ap.parse_args()
    if args.render:
        saved = json.load(open(args.render))
        rows = saved["rows"]
        for r in rows:
            r.pop("ttft_ratio", None); r.pop("llm_ratio", None)
            if "error" not in r:
                add_ratios(r)
        write(args, rows, {"cpu": saved["cpu"], "kernel_in_use": saved["kernels"], "vector_flags": saved.get("vector_flags", [])},
              saved["model"], saved.get("max_tokens", args.max_tokens), saved.get("date", time.strftime("%Y-%m-%d")))
        return
    llm = ["bash", os.path.join(ROOT, "Scripts/llm.sh")]
    listing = run([args.memoir, "case", "list", "--db", args.db, "--split", "test", "--json"]).stdout
    cases = [json.loads(l)["id"] for l in listing.splitlines() if l.strip()][: args.cases]
    doctor = json.loads(run([args.memoir, "doctor", "--json"]).stdout)
    rows = []
    for threads in [int(t) for t in args.threads.split(",")]:
        run(llm + ["stop"], check=False)
        env = dict(os.environ, MEMOIR_LLM_THREADS=str(threads))
        run(llm + ["start", args.model], env=env)
        for case in cases:
            for kind, question in (("first", FIRST), ("follow-up", FOLLOW_UP)):
                r = run([args.memoir, "ask", "--db", args.db, "--case", case, question, "--json",
                         "--temperature", "0", "--max-tokens", str(args.max_tokens)], check=False)
                line = next((l for l in r.stdout.splitlines() if l.startswith("{")), None)
                if line is None:
                    rows.append({"threads": threads, "case": case, "question": kind, "error": r.stderr[-300:]})
                    continue
                out = json.loads(line)
                t, s = out.get("timings", {}), out.get("server_timings")
                row = {"threads": threads, "case": case, "question": kind, "prompt_tokens": out.get("prompt_tokens"),
                       "completion_tokens": out.get("completion_tokens"), "repair_rounds": out.get("repair_rounds"),
                       "before_llm": t.get("before_llm"), "ttft": t.get("llm_first_token"), "llm": t.get("llm"),
                       "server": s, "verdict": (out.get("verdict") or {}).get("status")}
                add_ratios(row)
                rows.append(row)
        run(llm + ["stop"], check=False)
    write(args, rows, doctor, args.model, args.max_tokens, time.strftime("%Y-%m-%d"))


def write(args, rows, doctor, model, max_tokens, date):
    def f(v, d=2):
        return "–" if v is None else ("%.*f" % (d, v))
    lines = ["# Time to the first word: Memoir's LLM stage vs llama.cpp's own rates", "",
             "%s; `%s`; CPU %s (%s); BLAS kernels %s; model %s; max tokens %d; `Benchmarks/llm/ttft.py`." % (
                 date, os.path.basename(args.db), doctor.get("cpu"), ", ".join(doctor.get("vector_flags", [])),
                 doctor.get("kernel_in_use"), model, max_tokens), "",
             "| threads | case | question | prompt tokens | evaluated / cached by llama.cpp | llama.cpp prompt tok/s | llama.cpp gen tok/s "
             "| before LLM s | TTFT s | TTFT ratio | LLM stage s | LLM-stage ratio | repair | verdict |",
             "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        if "error" in r:
            lines.append("| %d | %s | %s | failed: %s |" % (r["threads"], r["case"], r["question"], " ".join(r["error"].replace("|", "/").split())[:160]))
            continue
        s = r["server"] or {}
        prompt_rate = s["prompt_tokens"] / (s["prompt_ms"] / 1000) if s and s["prompt_ms"] > 0 else None
        gen_rate = s["generated_tokens"] / (s["generated_ms"] / 1000) if s and s["generated_ms"] > 0 else None
        lines.append("| %d | %s | %s | %s | %s / %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            r["threads"], r["case"], r["question"], r["prompt_tokens"], s.get("prompt_tokens", "–"), s.get("cached_tokens", "–"),
            f(prompt_rate, 1), f(gen_rate, 1), f(r["before_llm"]), f(r["ttft"]), f(r.get("ttft_ratio")), f(r["llm"]),
            f(r.get("llm_ratio")), r["repair_rounds"], r["verdict"]))
    lines.append("")
    for threads in sorted({r["threads"] for r in rows}):
        mine = [r for r in rows if r["threads"] == threads and "error" not in r]
        for kind in ("first", "follow-up"):
            k = [r for r in mine if r["question"] == kind]
            ttft = [r["ttft"] for r in k if r.get("ttft") is not None]
            ratios = [r["llm_ratio"] for r in k if r.get("llm_ratio")]
            lines.append("- %d thread(s), %s questions: median TTFT %s s; median LLM-stage / llama.cpp ratio %s (%d of %d answered in one round)" % (
                threads, kind, f(statistics.median(ttft)) if ttft else "–", f(statistics.median(ratios), 3) if ratios else "–",
                len(ratios), len(k)))
    firsts = [r["ttft"] for r in rows if r["question"] == "first" and r.get("ttft") is not None]
    follows = [r["ttft"] for r in rows if r["question"] == "follow-up" and r.get("ttft") is not None]
    if firsts and follows:
        lines.append("- follow-up / first question time to first token (medians over all thread counts): %.2f" % (
            statistics.median(follows) / statistics.median(firsts)))
    text = "\n".join(lines) + "\n"
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out, "w") as fh:
        fh.write(text)
    with open(os.path.splitext(args.out)[0] + ".json", "w") as fh:
        json.dump({"cpu": doctor.get("cpu"), "kernels": doctor.get("kernel_in_use"), "vector_flags": doctor.get("vector_flags", []),
                   "model": model, "max_tokens": max_tokens, "date": date, "rows": rows}, fh, indent=1)
    print(text)


if __name__ == "__main__":
    main()
