"""Trains Memoir's domain reranker: a MiniLM cross-encoder (BertForSequenceClassification, one logit) that
scores (question + query-case description, historical-case caption) pairs, starting from all-MiniLM-L6-v2.

No pretrained cross-encoder is available offline, so relevance comes from the training split itself:
a candidate is relevant to a query case when it shares the diagnosis, graded by how close their cognitive
scores are. The query text is a question plus the query case's caption WITHOUT its diagnosis; a candidate
is a training case's caption WITH its diagnosis, as stored. Only the top `--train-layers` encoder layers,
the pooler and the classifier are trained; only those tensors are exported (float16) with a manifest naming
the base model and its weights' sha256, and Swift (`WeightOverlay`) merges them over the base at load.

Evaluation: held-out queries from the TEST split, each against `--eval-candidates` random training cases;
precision@5 = share of the top 5 that have the query's diagnosis, for the base model with a random head
and for the trained model (chance = share of same-diagnosis candidates).

  .venv-ref/bin/python Training/train_reranker.py --db COHORT.sqlite --out Models/reranker-minilm-adni
"""
import argparse
import hashlib
import json
import math
import os
import random
import shutil
import sqlite3
import sys
import time

import torch
from safetensors.torch import save_file
from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from memoir_encoder.captions import query_description  # noqa: E402

QUESTIONS = [
    "What is the most likely diagnosis for this subject?",
    "How severe is this subject's cognitive impairment?",
    "Is this subject's profile consistent with Alzheimer's disease?",
    "Which similar subjects support the diagnosis of this case?",
    "Does this subject show mild cognitive impairment or dementia?",
    "What does the cognitive testing suggest about this subject?",
]


def relevance(q, c):
    """Graded relevance in [0, 1]: same diagnosis, discounted by distance in MMSE, ADAS-13 and MoCA."""
    if q["diagnosis"] != c["diagnosis"]:
        return 0.0
    d = 0.0
    for key, scale in (("mmse", 3.0), ("adas13", 8.0), ("moca", 3.0)):
        if q[key] is not None and c[key] is not None:
            d += abs(q[key] - c[key]) / scale
    return math.exp(-d / 2)


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(4 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def build_pairs(train, by_dx, rng, n_queries, per_query):
    pairs = []
    for q in rng.sample(train, min(n_queries, len(train))):
        query = rng.choice(QUESTIONS) + " " + query_description(q)
        same = [c for c in by_dx[q["diagnosis"]] if c["id"] != q["id"]]
        others = [c for c in train if c["diagnosis"] != q["diagnosis"]]
        # One close same-diagnosis candidate, one random same-diagnosis, the rest other diagnoses.
        close = sorted(rng.sample(same, min(30, len(same))), key=lambda c: -relevance(q, c))[0]
        chosen = [close, rng.choice(same)] + rng.sample(others, per_query - 2)
        pairs += [(query, c["caption"], relevance(q, c)) for c in chosen]
    rng.shuffle(pairs)
    return pairs


def eval_set(test, train, rng, n_queries, n_candidates):
    """(query text, query diagnosis, candidate captions, candidate diagnoses) for held-out test queries."""
    out = []
    for q in rng.sample(test, min(n_queries, len(test))):
        cands = rng.sample(train, n_candidates)
        out.append((rng.choice(QUESTIONS) + " " + query_description(q), q["diagnosis"],
                    [c["caption"] for c in cands], [c["diagnosis"] for c in cands]))
    return out


@torch.no_grad()
def precision_at_5(model, tokenizer, queries, max_length, progress=None):
    model.eval()
    hits, chance = [], []
    for n, (text, dx, captions, dxs) in enumerate(queries):
        if progress and n and n % 10 == 0:
            progress(n)
        enc = tokenizer([text] * len(captions), captions, truncation="longest_first", max_length=max_length,
                        padding=True, return_tensors="pt")
        scores = model(**enc).logits.squeeze(-1)
        top = torch.topk(scores, 5).indices.tolist()
        hits.append(sum(dxs[i] == dx for i in top) / 5)
        chance.append(sum(d == dx for d in dxs) / len(dxs))
    return sum(hits) / len(hits), sum(chance) / len(chance)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", required=True)
    p.add_argument("--base", default=os.path.expanduser("~/.cache/memoir/models/all-MiniLM-L6-v2"))
    p.add_argument("--out", required=True)
    p.add_argument("--queries", type=int, default=600)
    p.add_argument("--candidates-per-query", type=int, default=4)
    p.add_argument("--train-layers", type=int, default=2)
    p.add_argument("--max-length", type=int, default=256)
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--lr", type=float, default=4e-5, help="learning rate of the encoder layers and pooler")
    p.add_argument("--head-lr", type=float, default=1e-3)
    p.add_argument("--eval-queries", type=int, default=60)
    p.add_argument("--eval-candidates", type=int, default=50)
    p.add_argument("--seed", type=int, default=2363)
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()
    rng = random.Random(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    start = time.time()
    out = os.path.abspath(args.out)
    staging = out + f".tmp-{os.getpid()}"  # written whole, then swapped in: never a half-written model
    shutil.rmtree(staging, ignore_errors=True)
    os.makedirs(staging)
    log_file = open(os.path.join(staging, "training-log.jsonl"), "w")

    def log(**fields):
        record = {"t": round(time.time() - start, 1), **fields}
        print(json.dumps(record), flush=True)
        log_file.write(json.dumps(record) + "\n")
        log_file.flush()

    con = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    rows = [dict(r) for r in con.execute("SELECT * FROM subjects ORDER BY id")]
    con.close()
    train = [r for r in rows if r["split"] == "train"]
    test = [r for r in rows if r["split"] == "test"]
    if not train or not test:
        raise SystemExit(f"{args.db}: needs training and test subjects (found {len(train)} / {len(test)})")
    by_dx = {}
    for r in train:
        by_dx.setdefault(r["diagnosis"], []).append(r)
    with open(args.db, "rb") as f:
        db_sha = hashlib.sha256(f.read()).hexdigest()
    base_weights = os.path.join(args.base, "model.safetensors")
    base_sha = sha256_file(base_weights)
    log(message="data", db=os.path.abspath(args.db), db_sha256=db_sha, train=len(train), test=len(test),
        base=os.path.realpath(args.base), base_weights_sha256=base_sha, args=vars(args))

    pairs = build_pairs(train, by_dx, rng, args.queries, args.candidates_per_query)
    evaluation = eval_set(test, train, random.Random(args.seed + 1), args.eval_queries, args.eval_candidates)
    log(message="pairs", count=len(pairs), mean_relevance=round(sum(p[2] for p in pairs) / len(pairs), 4),
        eval_queries=len(evaluation), eval_candidates=args.eval_candidates)

    tokenizer = BertTokenizerFast.from_pretrained(args.base)
    config = BertConfig.from_pretrained(args.base, num_labels=1, architectures=["BertForSequenceClassification"])
    model = BertForSequenceClassification.from_pretrained(args.base, config=config)
    p5, chance = precision_at_5(model, tokenizer, evaluation, args.max_length, lambda n: log(message="eval progress", queries=n))
    log(message="eval", model="base all-MiniLM-L6-v2 + random head", precision_at_5=round(p5, 4), chance=round(chance, 4))

    n_layers = config.num_hidden_layers
    trainable_prefixes = [f"bert.encoder.layer.{i}." for i in range(n_layers - args.train_layers, n_layers)] + \
                         ["bert.pooler.", "classifier."]
    for name, param in model.named_parameters():
        param.requires_grad = any(name.startswith(p) for p in trainable_prefixes)
    opt = torch.optim.AdamW([
        {"params": [p for n, p in model.named_parameters() if p.requires_grad and not n.startswith("classifier.")], "lr": args.lr},
        {"params": model.classifier.parameters(), "lr": args.head_lr},
    ], weight_decay=0.01)
    total_steps = args.epochs * math.ceil(len(pairs) / args.batch_size)
    warmup = max(1, total_steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, (total_steps - s) / max(1, total_steps - warmup)))
    loss_fn = torch.nn.BCEWithLogitsLoss()
    step, running = 0, []
    for epoch in range(args.epochs):
        model.train()
        for s in range(0, len(pairs), args.batch_size):
            chunk = pairs[s:s + args.batch_size]
            enc = tokenizer([c[0] for c in chunk], [c[1] for c in chunk], truncation="longest_first",
                            max_length=args.max_length, padding=True, return_tensors="pt")
            logits = model(**enc).logits.squeeze(-1)
            loss = loss_fn(logits, torch.tensor([c[2] for c in chunk]))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            running.append(loss.item())
            if step % 20 == 0 or step == total_steps:
                log(epoch=epoch + 1, step=step, of=total_steps, loss=round(sum(running) / len(running), 4))
                running = []

    # Export the changed tensors as float16, and evaluate the model as Swift will run it: those f16 values
    # merged over the (unchanged) base.
    state = {n: t.detach().to(torch.float16).contiguous() for n, t in model.state_dict().items()
             if any(n.startswith(p) for p in trainable_prefixes)}
    with torch.no_grad():
        for n, param in model.named_parameters():
            if n in state:
                param.copy_(state[n].float())
    p5, chance = precision_at_5(model, tokenizer, evaluation, args.max_length, lambda n: log(message="eval progress", queries=n))
    log(message="eval", model="trained (f16 overlay)", precision_at_5=round(p5, 4), chance=round(chance, 4))

    save_file(state, os.path.join(staging, "model.safetensors"), metadata={"format": "pt"})
    config.save_pretrained(staging)
    manifest = {
        "format": "memoir-weight-overlay/1",
        "base_model": "all-MiniLM-L6-v2",
        "base_weights_sha256": base_sha,
        "dtype": "float16",
        "tensors": sorted(state),
        "max_length": args.max_length,
        "trained_on": {"db_sha256": db_sha, "split": "train", "subjects": len(train)},
    }
    with open(os.path.join(staging, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    log(message="exported", tensors=len(state), directory=out, seconds=round(time.time() - start))
    log_file.close()
    if os.path.exists(out):
        old = out + f".old-{os.getpid()}"
        os.rename(out, old)
        os.rename(staging, out)
        shutil.rmtree(old)
    else:
        os.rename(staging, out)


if __name__ == "__main__":
    main()
