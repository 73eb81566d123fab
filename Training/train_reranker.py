"""Trains Memoir's domain reranker: a late-interaction MiniLM cross-encoder (see memoir_encoder/late_reranker.py)
that reorders the fused encoder's top-50 library cases for a query case.

The query text is a question plus the query case's description without diagnosis or CDR-SB (as Swift's
QueryDescription writes it); a candidate is a training case's caption with its diagnosis, as stored. Layers
below the join are the base all-MiniLM-L6-v2's and stay frozen, so every segment's states entering the joined
layer are computed once here, as Swift caches them per library case. Trained: the joined last layer, the pooler
and the classifier. Only those tensors are exported (float16) with a manifest naming the base and its sha256;
Swift's WeightOverlay merges them over the base at load.

Training data is what the reranker sees in use: for each training-split query case, its 50 nearest training
cases by the fused embedding (itself excluded) from the embedding cache in the store (run `memoir encode`
first). Relevance is graded: same diagnosis, discounted by the distance in MMSE, ADAS-13 and MoCA. The loss is
ListNet's (softmax cross-entropy against the relevance distribution over a query's candidates).

Evaluation: every test-split case as a query against its 50 nearest training cases; precision@5 of
same-diagnosis cases in the embedding's own order and after reranking, and mean graded relevance@5.

  .venv-ref/bin/python Training/train_reranker.py --db COHORT.sqlite --out Models/reranker-minilm-adni
"""
import argparse
import math
import os
import random
import sqlite3
import sys
from collections import Counter

import numpy as np
import torch
from safetensors.torch import save_file
from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from memoir_encoder.captions import query_description  # noqa: E402
from memoir_encoder.late_reranker import joined_layer_check, last_layer_scores, pad, segment_states  # noqa: E402
from memoir_encoder.hashing import sha256_file  # noqa: E402
from memoir_encoder.run_output import RunOutput  # noqa: E402

# The phrasings of Swift's QASetBuilder, so training queries read like the questions asked in use.
QUESTIONS = [
    "What is the most likely diagnosis for this patient?",
    "What is the most likely diagnosis for this subject: cognitively normal, MCI or dementia?",
    "Based on the available information, what is the most likely diagnosis?",
    "How severe is this patient's impairment, judging by the CDR-SB?",
    "What does the CDR Sum of Boxes say about the severity of this subject's impairment?",
    "What are this patient's cognitive test scores?",
    "Summarise the cognitive test results of this subject.",
    "What is this patient's APOE genotype and what does it mean for Alzheimer's risk?",
    "How does this patient compare with the most similar subjects in the library?",
    "What diagnoses and scores do the subjects most similar to this case have?",
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


def read_store(db):
    """Subjects and their cached fused embeddings for the most common (encoder, modality subset)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    rows = {r["id"]: dict(r) for r in con.execute("SELECT * FROM subjects ORDER BY id")}
    try:
        groups = Counter((r[0], r[1]) for r in con.execute("SELECT encoder_hash, modalities FROM embeddings"))
    except sqlite3.OperationalError:
        groups = Counter()
    if not groups:
        raise SystemExit(f"{db}: no cached embeddings; run `memoir encode --db {db}` first")
    (encoder, modalities), _ = groups.most_common(1)[0]
    vectors = {}
    for sid, blob in con.execute("SELECT subject_id, vector FROM embeddings WHERE encoder_hash = ? AND modalities = ?",
                                 (encoder, modalities)):
        vectors[sid] = np.frombuffer(blob, dtype="<f4")
    con.close()
    return rows, vectors, encoder, modalities


def neighbours(query_vectors, library_vectors, k, exclude_self):
    """Indices of each query's k nearest library vectors by inner product, and those inner products."""
    sims = query_vectors @ library_vectors.T
    if exclude_self:
        np.fill_diagonal(sims, -np.inf)
    order = np.argsort(-sims, axis=1)[:, :k]
    return order, np.take_along_axis(sims, order, axis=1)


def pool_scores(model, q_states, c_states, pools, batch=8):
    """Reranker logits [queries, pool] of each query against its pool."""
    model.eval()
    out = []
    with torch.no_grad():
        for s in range(0, len(q_states), batch):
            idx = list(range(s, min(s + batch, len(q_states))))
            q, qm = pad([q_states[i] for i in idx])
            c, cm = pad([c_states[j] for i in idx for j in pools[i]])
            n = len(pools[0])
            out.append(last_layer_scores(model, q, qm, c.view(len(idx), n, *c.shape[1:]), cm.view(len(idx), n, -1)))
    return torch.cat(out)


def ranking_quality(scores, pools, queries, library):
    """P@5 same diagnosis and mean graded relevance@5 when each pool is ordered by `scores` [queries, pool]."""
    p5, r5 = [], []
    for row, q in enumerate(queries):
        top = [pools[row][j] for j in torch.topk(scores[row], 5).indices.tolist()]
        p5.append(sum(library[j]["diagnosis"] == q["diagnosis"] for j in top) / 5)
        r5.append(sum(relevance(q, library[j]) for j in top) / 5)
    return round(float(np.mean(p5)), 4), round(float(np.mean(r5)), 4)


def fusion_weight(logits, similarities, pools, queries, library):
    """The weight w of the retrieval cosine in logit + w·cosine that ranks validation queries best (P@5, then relevance)."""
    grid = [0, 0.5, 1, 2, 4, 8, 16, 32, 64, 128]
    results = [(ranking_quality(logits + w * similarities, pools, queries, library), w) for w in grid]
    return max(results, key=lambda r: (r[0], -r[1]))[1], {str(w): q for q, w in results}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", required=True)
    p.add_argument("--base", default=os.path.expanduser("~/.cache/memoir/models/all-MiniLM-L6-v2"))
    p.add_argument("--out", required=True)
    p.add_argument("--max-length", type=int, default=160, help="tokens per segment (query or caption)")
    p.add_argument("--pool", type=int, default=50, help="nearest training cases a query reranks")
    p.add_argument("--candidates", type=int, default=16, help="candidates of a query per training step")
    p.add_argument("--batch-queries", type=int, default=8)
    p.add_argument("--questions-per-case", type=int, default=2)
    p.add_argument("--steps", type=int, default=1500)
    p.add_argument("--lr", type=float, default=1e-4, help="learning rate of the joined layer and the pooler")
    p.add_argument("--head-lr", type=float, default=1e-3)
    p.add_argument("--eval-every", type=int, default=500)
    p.add_argument("--seed", type=int, default=2363)
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()
    rng = random.Random(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    RunOutput.produce(args.out, lambda run: train_and_export(args, rng, run))


def train_and_export(args, rng, run):
    log = run.log
    rows, vectors, encoder_hash, modalities = read_store(args.db)
    train = [r for r in rows.values() if r["split"] == "train" and r["id"] in vectors]
    test = [r for r in rows.values() if r["split"] == "test" and r["id"] in vectors]
    if len(train) <= args.pool or not test:
        raise SystemExit(f"{args.db}: needs more than {args.pool} embedded training cases and some test cases "
                         f"(found {len(train)} / {len(test)})")
    base_sha, db_sha = sha256_file(os.path.join(args.base, "model.safetensors")), sha256_file(args.db)
    log(message="data", db=os.path.abspath(args.db), db_sha256=db_sha, train=len(train), test=len(test),
        encoder_hash=encoder_hash, modalities=modalities, base=os.path.realpath(args.base), base_weights_sha256=base_sha,
        args=vars(args))

    library = np.stack([vectors[r["id"]] for r in train])
    train_pools, train_sims = neighbours(library, library, args.pool, exclude_self=True)
    test_pools, test_sims = neighbours(np.stack([vectors[r["id"]] for r in test]), library, args.pool, exclude_self=False)
    # A tenth of the training cases only validate (the weight of the retrieval score); they stay candidates.
    validation = set(random.Random(args.seed + 2).sample(range(len(train)), len(train) // 10))

    tokenizer = BertTokenizerFast.from_pretrained(args.base)
    config = BertConfig.from_pretrained(args.base, num_labels=1, architectures=["BertForSequenceClassification"])
    join = config.num_hidden_layers - 1
    config.memoir_join_layer = join
    model = BertForSequenceClassification.from_pretrained(args.base, config=config)

    # Segment states entering the joined layer: captions of the library, query descriptions (with questions).
    train_queries = [(i, rng.choice(QUESTIONS) + " " + query_description(r))
                     for i, r in enumerate(train) for _ in range(args.questions_per_case)]
    eval_rng = random.Random(args.seed + 1)
    test_queries = [eval_rng.choice(QUESTIONS) + " " + query_description(r) for r in test]
    model.eval()
    states = {}
    for name, texts in (("captions", [r["caption"] for r in train]), ("train queries", [t for _, t in train_queries]),
                        ("test queries", test_queries)):
        states[name] = [x.half() for x in segment_states(model.bert, tokenizer, texts, join, args.max_length)]
        lengths = [x.shape[0] for x in states[name]]
        log(message="segment states", segments=name, count=len(texts), mean_tokens=round(float(np.mean(lengths)), 1),
            max_tokens=max(lengths), truncated=sum(n == args.max_length for n in lengths))
    c_states = [x.float() for x in states["captions"]]
    tq_states = [x.float() for x in states["train queries"]]
    eq_states = [x.float() for x in states["test queries"]]

    # The [CLS]-only arithmetic must be transformers' own layer on the concatenated rows.
    with torch.no_grad():
        q, qm = pad([eq_states[0]])
        c, cm = pad([c_states[0]])
        fast = last_layer_scores(model, q, qm, c[None], cm[None]).item()
        full = joined_layer_check(model, eq_states[0], c_states[0])
    if abs(fast - full) > 1e-4:
        raise SystemExit(f"[CLS]-only last layer gives {fast}, BertLayer {full}")

    def test_quality(weight=None):
        """Every test query's pool ordered by the embedding, by the reranker and, given a weight, by both."""
        logits, sims = pool_scores(model, eq_states, c_states, test_pools), torch.tensor(test_sims)
        orders = [("embedding", sims), ("reranked", logits)] + ([("fused", logits + weight * sims)] if weight is not None else [])
        result = {"queries": len(test)}
        for label, scores in orders:
            result[f"p5_{label}"], result[f"relevance5_{label}"] = ranking_quality(scores, test_pools, test, train)
        return result

    trainable = [f"bert.encoder.layer.{join}.", "bert.pooler.", "classifier."]
    for name, param in model.named_parameters():
        param.requires_grad = any(name.startswith(t) for t in trainable)
    opt = torch.optim.AdamW([
        {"params": [p for n, p in model.named_parameters() if p.requires_grad and not n.startswith("classifier.")], "lr": args.lr},
        {"params": model.classifier.parameters(), "lr": args.head_lr},
    ], weight_decay=0.01)
    warmup = max(1, args.steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, (args.steps - s) / max(1, args.steps - warmup)))
    graded = [[relevance(train[q], train[c]) for c in pool] for q, pool in enumerate(train_pools)]
    usable = [k for k, (i, _) in enumerate(train_queries) if sum(graded[i]) > 0 and i not in validation]
    log(message="training queries", count=len(train_queries), with_a_relevant_candidate=len(usable))
    running = []
    for step in range(1, args.steps + 1):
        model.train()
        picks = rng.sample(usable, args.batch_queries)
        q, qm = pad([tq_states[k] for k in picks])
        cands, targets = [], []
        for k in picks:
            i = train_queries[k][0]
            chosen = rng.sample(range(args.pool), args.candidates)
            cands += [c_states[train_pools[i][j]] for j in chosen]
            rel = torch.tensor([graded[i][j] for j in chosen])
            targets.append(rel / rel.sum() if rel.sum() > 0 else torch.full_like(rel, 1 / len(rel)))
        c, cm = pad(cands)
        shape = (args.batch_queries, args.candidates)
        scores = last_layer_scores(model, q, qm, c.view(*shape, *c.shape[1:]), cm.view(*shape, -1))
        loss = -(torch.stack(targets) * torch.log_softmax(scores, dim=-1)).sum(-1).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        running.append(loss.item())
        if step % 50 == 0 or step == args.steps:
            log(step=step, of=args.steps, loss=round(sum(running) / len(running), 4))
            running = []
        if step % args.eval_every == 0 and step < args.steps:
            log(message="eval", model=f"step {step}", **test_quality())

    # Export the changed tensors as float16, and evaluate the model as Swift runs it: those values over the base.
    state = {n: t.detach().to(torch.float16).contiguous() for n, t in model.state_dict().items()
             if any(n.startswith(t) for t in trainable)}
    with torch.no_grad():
        for n, param in model.named_parameters():
            if n in state:
                param.copy_(state[n].float())
    # Validation queries (one phrasing each) choose the weight of the retrieval cosine; the test split reports.
    val_rows = sorted({i: k for k, (i, _) in reversed(list(enumerate(train_queries))) if i in validation}.items())
    val_logits = pool_scores(model, [tq_states[k] for _, k in val_rows], c_states, [train_pools[i] for i, _ in val_rows])
    weight, by_weight = fusion_weight(val_logits, torch.tensor(train_sims[[i for i, _ in val_rows]]),
                                      [train_pools[i] for i, _ in val_rows], [train[i] for i, _ in val_rows], train)
    log(message="retrieval weight", chosen=weight, validation_queries=len(val_rows), p5_relevance5_by_weight=by_weight)
    final = test_quality(weight)
    log(message="eval", model="trained (f16 overlay)", retrieval_weight=weight, **final)
    save_file(state, run.path("model.safetensors"), metadata={"format": "pt"})
    config.save_pretrained(run.staging)
    run.write_json("manifest.json", {
        "format": "memoir-weight-overlay/1",
        "base_model": "all-MiniLM-L6-v2",
        "base_weights_sha256": base_sha,
        "dtype": "float16",
        "tensors": sorted(state),
        "max_length": args.max_length,
        "retrieval_weight": weight,
        "interaction": {"join_layer": join, "segment": "[CLS] text [SEP], token type 0, positions from 0, query first"},
        "trained_on": {"db_sha256": db_sha, "split": "train", "subjects": len(train),
                       "encoder_hash": encoder_hash, "modalities": modalities},
        "evaluation": final,
    })
    log(message="exported", tensors=len(state), directory=run.out)


if __name__ == "__main__":
    main()
