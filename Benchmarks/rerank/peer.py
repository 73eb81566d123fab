#!/usr/bin/env python3
"""The Python peers of `memoir-bench rerank`: a MiniLM-L6 BertForSequenceClassification scoring one query against
--candidates passages per forward on CPU, with PyTorch (transformers) or onnxruntime, tokenising included.

    .venv-ref/bin/python Benchmarks/rerank/peer.py --make-model .cache/bench/rerank-full
    .venv-ref/bin/python Benchmarks/rerank/peer.py --impl onnxruntime --model .cache/bench/rerank-full --pairs P.json

--make-model writes a full cross-encoder (every layer reads the pair whole): all-MiniLM-L6-v2's encoder with a
seeded classification head, so Memoir and the peers run the same weights. Like memoir-bench: one untimed warm-up
pass, one timed pass, one JSON line {"impl", "seconds_per_query", "p50_ms", "p90_ms", "first_logits", ...}.
"""
import argparse
import json
import math
import os
import resource
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import onnx_peer  # noqa: E402 (Benchmarks/onnx_peer.py)

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def make_model(minilm, out):
    import torch
    from transformers import BertConfig, BertForSequenceClassification

    torch.manual_seed(2363)
    config = BertConfig.from_pretrained(minilm, num_labels=1, architectures=["BertForSequenceClassification"])
    model = BertForSequenceClassification.from_pretrained(minilm, config=config)
    tmp = out + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    model.save_pretrained(tmp, safe_serialization=True)
    for name in ("vocab.txt", "tokenizer_config.json", "special_tokens_map.json", "tokenizer.json"):
        if os.path.isfile(os.path.join(minilm, name)):
            shutil.copy(os.path.join(minilm, name), tmp)
    shutil.rmtree(out, ignore_errors=True)
    os.replace(tmp, out)


def torch_scorer(model_dir, threads):
    import torch
    from transformers import BertForSequenceClassification, BertTokenizerFast

    torch.set_num_threads(threads)
    model = BertForSequenceClassification.from_pretrained(model_dir).eval()
    tokenizer = BertTokenizerFast.from_pretrained(model_dir)

    def score(query, passages):
        enc = tokenizer([query] * len(passages), passages, padding=True, truncation=True, max_length=512, return_tensors="pt")
        with torch.inference_mode():
            return model(**enc).logits[:, 0].tolist()

    return score, {"torch": torch.__version__, "torch_threads": torch.get_num_threads()}


def onnx_scorer(model_dir, threads):
    import numpy as np
    from transformers import BertForSequenceClassification, BertTokenizerFast

    path = os.path.join(model_dir, "model.onnx")
    if not os.path.isfile(path):
        onnx_peer.export(BertForSequenceClassification.from_pretrained(model_dir), path, "logits", {0: "batch"})
    session, info = onnx_peer.cpu_session(path, threads)
    tokenizer = BertTokenizerFast.from_pretrained(model_dir)

    def score(query, passages):
        enc = tokenizer([query] * len(passages), passages, padding=True, truncation=True, max_length=512, return_tensors="np")
        feeds = {k: enc[k].astype(np.int64) for k in ("input_ids", "attention_mask", "token_type_ids")}
        return session.run(None, feeds)[0][:, 0].tolist()

    return score, info


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--make-model", metavar="OUT")
    parser.add_argument("--minilm", default=os.path.expanduser("~/.cache/memoir/models/all-MiniLM-L6-v2"))
    parser.add_argument("--impl", choices=["torch", "onnxruntime"])
    parser.add_argument("--model")
    parser.add_argument("--pairs")
    parser.add_argument("--candidates", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    if args.make_model:
        make_model(args.minilm, args.make_model)
        return 0
    if not (args.impl and args.model and args.pairs):
        parser.error("--impl, --model and --pairs are required unless --make-model is given")
    with open(args.pairs, encoding="utf-8") as f:
        pairs = json.load(f)
    queries, passages = pairs["queries"], pairs["passages"]
    batches = [[passages[(q * args.candidates + j) % len(passages)] for j in range(args.candidates)] for q in range(len(queries))]
    score, info = (torch_scorer if args.impl == "torch" else onnx_scorer)(args.model, args.threads)
    for q, query in enumerate(queries):  # warm-up pass
        score(query, batches[q])
    times, first = [], []
    for q, query in enumerate(queries):
        start = time.perf_counter()
        logits = score(query, batches[q])
        times.append(time.perf_counter() - start)
        if q == 0:
            first = logits
    ordered = sorted(times)
    # Nearest rank, as memoir-bench's IndexMetrics.percentile: both sides report the same kind of p50 and p90.
    quantile = lambda p: ordered[min(max(math.ceil(p * len(ordered)), 1), len(ordered)) - 1]
    print(json.dumps({"impl": args.impl if args.impl == "onnxruntime" else "pytorch", "queries": len(times), "candidates": args.candidates,
                      "seconds_per_query": sum(times) / len(times), "p50_ms": quantile(0.5) * 1000, "p90_ms": quantile(0.9) * 1000,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "threads": args.threads,
                      "first_logits": first, **info}, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
