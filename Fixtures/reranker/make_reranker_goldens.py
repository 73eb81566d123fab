"""Reference logits of Memoir's late-interaction domain reranker (Models/reranker-minilm-adni) for Swift.

transformers' BertForSequenceClassification is built from the base all-MiniLM-L6-v2 checkpoint with the
overlay's float16 tensors (upcast to float32) copied over it — the merge Swift's `WeightOverlay` does. Each
(question + query description, caption) pair is scored as Training/memoir_encoder/late_reranker.py defines:
both segments read alone up to the join layer, then the joined last layer; every score is also recomputed
through transformers' own BertLayer over the stacked rows and must agree within 1e-5. Pairs come from the
case store given with --db (test-split queries without diagnosis or CDR-SB, training-split captions as
stored, plus a query longer than max_length); without --db the pairs already in scores.json are re-scored.

  HF_HUB_OFFLINE=1 .venv-ref/bin/python Fixtures/reranker/make_reranker_goldens.py [--db /tmp/full.sqlite]
"""
import argparse
import json
import os
import random
import sqlite3
import sys

import torch
from safetensors.torch import load_file
from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "Training"))
from memoir_encoder.captions import query_description  # noqa: E402
from memoir_encoder.hashing import sha256_file  # noqa: E402
from memoir_encoder.late_reranker import joined_layer_check, last_layer_scores, pad, segment_states  # noqa: E402
from train_reranker import QUESTIONS  # noqa: E402


def draw_pairs(db, n, seed=7):
    rng = random.Random(seed)
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    rows = [dict(r) for r in con.execute("SELECT * FROM subjects ORDER BY id")]
    train = [r for r in rows if r["split"] == "train"]
    test = [r for r in rows if r["split"] == "test"]
    pairs = []
    for q in rng.sample(test, n // 4):
        query = rng.choice(QUESTIONS) + " " + query_description(q)
        same = [c for c in train if c["diagnosis"] == q["diagnosis"]]
        other = [c for c in train if c["diagnosis"] != q["diagnosis"]]
        for c in rng.sample(same, 2) + rng.sample(other, 2):
            pairs.append((query, c["caption"]))
    # Longer than max_length: the query segment is truncated.
    long_query = " ".join(QUESTIONS) + " " + query_description(test[0]) + " " + query_description(test[1])
    pairs.append((long_query, train[0]["caption"]))
    pairs.append(("MMSE 18, two APOE ε4 alleles, CDR-SB 6.5 — dementia?", train[2]["caption"]))
    return pairs


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default=os.path.join(ROOT, "Models/reranker-minilm-adni"))
    p.add_argument("--base", default=os.path.expanduser("~/.cache/memoir/models/all-MiniLM-L6-v2"))
    p.add_argument("--db")
    p.add_argument("--pairs", type=int, default=20)
    args = p.parse_args()
    out_path = os.path.join(HERE, "scores.json")
    if args.db:
        pairs = draw_pairs(args.db, args.pairs)
    else:
        with open(out_path) as f:
            pairs = [(x["query"], x["passage"]) for x in json.load(f)["pairs"]]

    with open(os.path.join(args.model, "manifest.json")) as f:
        manifest = json.load(f)
    base_weights = os.path.join(args.base, "model.safetensors")
    if sha256_file(base_weights) != manifest["base_weights_sha256"]:
        raise SystemExit(f"{base_weights} is not the base the overlay was trained over")
    config = BertConfig.from_pretrained(args.model)
    join = config.memoir_join_layer
    if join != config.num_hidden_layers - 1:
        raise SystemExit(f"the reference computes a reranker joined at the last layer, not at {join}")
    model = BertForSequenceClassification.from_pretrained(args.base, config=config)
    overlay = {k: v.float() for k, v in load_file(os.path.join(args.model, "model.safetensors")).items()}
    state = model.state_dict()
    for k, v in overlay.items():
        if k not in state or state[k].shape != v.shape:
            raise SystemExit(f"overlay tensor {k} {tuple(v.shape)} does not fit the model")
        state[k] = v
    model.load_state_dict(state)
    model.eval()
    tokenizer = BertTokenizerFast.from_pretrained(args.base)
    max_length = manifest["max_length"]
    out = []
    with torch.no_grad():
        for query, passage in pairs:
            q_states, c_states = segment_states(model.bert, tokenizer, [query, passage], join, max_length)
            q, qm = pad([q_states])
            c, cm = pad([c_states])
            score = last_layer_scores(model, q, qm, c[None], cm[None]).item()
            full = joined_layer_check(model, q_states, c_states)
            if abs(score - full) > 1e-5:
                raise SystemExit(f"[CLS]-only score {score} differs from BertLayer's {full}")
            ids = lambda text: tokenizer(text, truncation=True, max_length=max_length)["input_ids"]  # noqa: E731
            out.append({"query": query, "passage": passage, "query_ids": ids(query), "passage_ids": ids(passage), "score": score})
    import transformers
    result = {
        "model_weights_sha256": sha256_file(os.path.join(args.model, "model.safetensors")),
        "base_weights_sha256": manifest["base_weights_sha256"],
        "max_length": max_length,
        "join_layer": join,
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__},
        "pairs": out,
    }
    with open(out_path + ".tmp", "w") as f:
        json.dump(result, f, indent=1, ensure_ascii=False)
        f.write("\n")
    os.replace(out_path + ".tmp", out_path)
    print(f"wrote {len(out)} pairs to {out_path}; logits {min(x['score'] for x in out):.3f} … {max(x['score'] for x in out):.3f}")


if __name__ == "__main__":
    main()
