#!/usr/bin/env python3
"""The launcher's prompt batch size, chosen by measurement: llama.cpp's own prompt and generation rates
(`timings` in each reply) for each physical batch size (MEMOIR_LLM_UBATCH), same model, threads and prompts.

For each batch size, starts the launcher's server (`Scripts/llm.sh start MODEL`), sends REPEATS chat requests
whose prompts are ~PROMPT_TOKENS tokens of clinical sentences (each a different opening line, and
`cache_prompt` off, so every prompt is evaluated whole), 32 generated tokens each, and keeps llama.cpp's
prompt tokens/s and generated tokens/s. Writes a Markdown table (and JSON beside it) naming the CPU.

    python3 Benchmarks/llm/batch.py --model qwen0.5b --ubatch 128,256,512,1024 --out Benchmarks/results/llm-batch.md
"""
import argparse, json, os, platform, statistics, subprocess, sys, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HOME = os.environ.get("MEMOIR_HOME", os.path.expanduser("~/.cache/memoir"))


def cpu_name():
    info = open("/proc/cpuinfo").read().splitlines()
    get = lambda key: next((l.split(":", 1)[1].strip() for l in info if l.startswith(key)), "?")
    return "%s (family %s model %s, %d logical CPUs)" % (get("model name"), get("cpu family"), get("model\t"), os.cpu_count())


def prompt(index, tokens):
    sentences = open(os.path.join(ROOT, "Benchmarks/text/sentences.txt")).read().splitlines()
    words, out = 0, ["Request %d. Summarise the following notes in one sentence." % index]
    for s in sentences[index * 7:]:
        out.append(s)
        words += len(s.split())
        if words * 1.35 >= tokens:  # ~1.35 tokens per word for this text
            break
    return "\n".join(out)


def ask(url, key, text):
    body = json.dumps({"messages": [{"role": "user", "content": text}], "max_tokens": 32, "temperature": 0,
                       "cache_prompt": False}).encode()
    req = urllib.request.Request(url + "/v1/chat/completions", body, {"Content-Type": "application/json", "Authorization": "Bearer " + key})
    with urllib.request.urlopen(req, timeout=600) as r:
        return json.load(r)["timings"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="qwen0.5b")
    ap.add_argument("--ubatch", default="128,256,512,1024")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--prompt-tokens", type=int, default=1200)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    rows = []
    for ub in [int(x) for x in a.ubatch.split(",")]:
        env = dict(os.environ, MEMOIR_LLM_UBATCH=str(ub), MEMOIR_LLM_THREADS=str(a.threads), MEMOIR_LLM_PARALLEL="1")
        subprocess.run(["bash", os.path.join(ROOT, "Scripts/llm.sh"), "stop"], capture_output=True)
        url = subprocess.run(["bash", os.path.join(ROOT, "Scripts/llm.sh"), "start", a.model], env=env,
                             capture_output=True, text=True, check=True).stdout.strip()
        key = open(os.path.join(HOME, "llm/server.key")).read().strip()
        try:
            ask(url, key, prompt(99, 64))  # warm-up
            timings = [ask(url, key, prompt(i, a.prompt_tokens)) for i in range(a.repeats)]
        finally:
            subprocess.run(["bash", os.path.join(ROOT, "Scripts/llm.sh"), "stop"], capture_output=True)
        row = {"ubatch": ub, "prompt_tokens": [t["prompt_n"] for t in timings],
               "prompt_tokens_per_second": [round(t["prompt_per_second"], 1) for t in timings],
               "generated_tokens_per_second": [round(t["predicted_per_second"], 1) for t in timings]}
        row["prompt_median"] = statistics.median(row["prompt_tokens_per_second"])
        row["generation_median"] = statistics.median(row["generated_tokens_per_second"])
        rows.append(row)
        print(json.dumps(row), flush=True)
    best = max(rows, key=lambda r: r["prompt_median"])
    load = os.getloadavg()
    meta = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "cpu": cpu_name(), "model": a.model,
            "threads": a.threads, "repeats": a.repeats, "load_average_after": [round(x, 2) for x in load], "rows": rows,
            "best_ubatch": best["ubatch"]}
    json.dump(meta, open(os.path.splitext(a.out)[0] + ".json", "w"), indent=1)
    with open(a.out, "w") as f:
        f.write("# Prompt batch size for the launcher: llama.cpp's own rates\n\n")
        f.write("%s; CPU %s; model %s, %d threads, 1 slot; %d prompts of ~%d tokens per batch size (prefix cache off), "
                "32 generated tokens each; `Benchmarks/llm/batch.py`. Load average after: %s.\n\n"
                % (meta["date"], meta["cpu"], a.model, a.threads, a.repeats, a.prompt_tokens, meta["load_average_after"]))
        f.write("| physical batch (MEMOIR_LLM_UBATCH) | prompt tokens | prompt tok/s (each) | median | generation tok/s (median) |\n|---:|---|---|---:|---:|\n")
        for r in rows:
            f.write("| %d | %s | %s | %.1f | %.1f |\n" % (r["ubatch"], r["prompt_tokens"], r["prompt_tokens_per_second"],
                                                     r["prompt_median"], r["generation_median"]))
        f.write("\nFastest prompt evaluation: batches of %d.\n" % best["ubatch"])


if __name__ == "__main__":
    sys.exit(main())
