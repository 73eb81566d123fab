#!/usr/bin/env python3
"""The bert-score package (0.3.13, PyTorch on CPU) side of the BERTScore benchmark.

    .venv-ref/bin/python Benchmarks/bertscore/peer.py --candidate-file C --reference-file R --layer 5 [--idf] --threads 2 --scores OUT

Loads the model once (bert_score.BERTScorer, batch_size 64 as the package's default), runs one
untimed warm-up pass, then one timed pass: idf weights from the references (with --idf, as
`score(..., idf=True)` computes them) plus scoring. Prints one JSON line; writes P/R/F per pair
to --scores for the agreement check.
"""
import argparse
import json
import os
import resource
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import torch  # noqa: E402
import bert_score  # noqa: E402
from importlib.metadata import version  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--candidate-file", required=True)
    p.add_argument("--reference-file", required=True)
    p.add_argument("--model", default=os.path.expanduser("~/.cache/memoir/models/all-MiniLM-L6-v2"))
    p.add_argument("--layer", type=int, default=5)
    p.add_argument("--idf", action="store_true")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--scores")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    cands = open(a.candidate_file, encoding="utf-8").read().splitlines()
    refs = open(a.reference_file, encoding="utf-8").read().splitlines()
    scorer = bert_score.BERTScorer(model_type=a.model, num_layers=a.layer, idf=a.idf, device="cpu",
                                   batch_size=64, nthreads=a.threads)

    def run():
        if a.idf:
            scorer._idf_dict = None  # recompute, as score(..., idf=True) does on every call
            scorer.compute_idf(refs)
        return scorer.score(cands, refs, batch_size=64)

    run()  # warm-up
    start = time.perf_counter()
    P, R, F = run()
    seconds = time.perf_counter() - start
    if a.scores:
        with open(a.scores, "w") as f:
            json.dump({"P": P.tolist(), "R": R.tolist(), "F": F.tolist()}, f)
    print(json.dumps({"impl": "bert-score", "pairs": len(cands), "layer": a.layer, "idf": a.idf, "seconds": seconds,
                      "pairs_per_second": len(cands) / seconds, "threads": torch.get_num_threads(),
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "bert_score": version("bert-score"), "torch": torch.__version__, "hash": scorer.hash}))


if __name__ == "__main__":
    main()
