"""Trains Memoir's text→case projection: a map from all-MiniLM-L6-v2 sentence embeddings (384) of a free-text
description to the fused encoder's case-embedding space (512), so `memoir retrieve --text` can search the case
index with words alone. Swift's `TextProjection` applies it (Sources/Retrieval/TextProjection.swift).

Inputs: MiniLM embeddings of each training-split caption in several forms — with and without its diagnosis,
and shorter paraphrase-like variants (random subsets of its sentences, the subject id dropped) so short
queries work. Targets: the cached case embeddings (`embeddings` table of the case store, one encoder and one
modality subset). Loss: symmetric InfoNCE over the batch (one text per subject per batch, temperature 0.05)
plus a small MSE to the target; output L2-normalised. Linear 384→512 and a 384→512→512 GELU MLP are both
fitted; the one with the better precision@5 on a validation slice of the training split is exported.

Report: for TEST-split captions without diagnosis, precision@5 of same-diagnosis training cases retrieved
(cosine, among all training cases) through the projection vs through the test case's own case embedding.

  .venv-ref/bin/python Training/train_text_projection.py --db COHORT.sqlite --out Models/text-projection
"""
import argparse
import hashlib
import json
import os
import random
import re
import sqlite3
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from safetensors.torch import save_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from memoir_encoder.captions import query_description  # noqa: E402
from memoir_encoder.hashing import sha256_file  # noqa: E402
from memoir_encoder.run_output import RunOutput  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SENTENCE_BREAK = re.compile(r"(?<=\.)\s+(?=[A-Z])")  # not inside "0.812"


def sentences(text):
    return [s for s in SENTENCE_BREAK.split(text) if s]


def anonymise(sentence):
    """'Subject 941_S_0001 is a 74-year-old woman …' → 'A 74-year-old woman …': ids carry no meaning."""
    m = re.match(r"Subject \S+ is (an? )?(.*)", sentence)
    if not m:
        return re.sub(r"^Subject \S+ ", "The subject ", sentence)
    return ("A " + m.group(2)) if m.group(1) else ("The subject is " + m.group(2))


def variants(row, rng, n_subsets):
    """Texts describing one training case: as stored, without diagnosis, and shorter sentence subsets."""
    full = row["caption"]
    nodx = query_description(row)
    out = [full, nodx]
    body = sentences(nodx)
    dx_sentence = [s for s in sentences(full) if s.startswith("Diagnosis: ")]
    for _ in range(n_subsets):
        k = rng.randint(1, min(5, len(body)))
        picked = sorted(rng.sample(range(len(body)), k))
        parts = [anonymise(body[i]) if i == 0 else body[i] for i in picked]
        if dx_sentence and rng.random() < 0.3:
            parts.insert(min(1, len(parts)), dx_sentence[0])
        out.append(" ".join(parts))
    return out


def encoder_hash(directory):
    """FusedEncoder.weightsHash: SHA-256 of model.safetensors bytes followed by config.json bytes."""
    h = hashlib.sha256()
    for name in ("model.safetensors", "config.json"):
        with open(os.path.join(directory, name), "rb") as f:
            for chunk in iter(lambda: f.read(4 << 20), b""):
                h.update(chunk)
    return h.hexdigest()


def embed(texts, model_dir, cache_dir, threads, log):
    """MiniLM sentence embeddings (sentence-transformers, as Swift's SentenceEncoder), cached by content."""
    key = hashlib.sha256(("\x00".join(texts) + "\x01" + os.path.realpath(model_dir)).encode()).hexdigest()[:16]
    path = os.path.join(cache_dir, f"minilm-{key}.npy")
    if os.path.exists(path):
        return np.load(path)
    from sentence_transformers import SentenceTransformer
    torch.set_num_threads(threads)
    t0 = time.time()
    model = SentenceTransformer(model_dir, device="cpu")
    vectors = model.encode(texts, batch_size=64, convert_to_numpy=True, normalize_embeddings=False)
    os.makedirs(cache_dir, exist_ok=True)
    np.save(path + ".tmp.npy", vectors.astype(np.float32))
    os.replace(path + ".tmp.npy", path)
    log(message="embedded", texts=len(texts), seconds=round(time.time() - t0, 1))
    return vectors.astype(np.float32)


class Projection(torch.nn.Module):
    def __init__(self, kind, d_in=384, d_out=512):
        super().__init__()
        self.kind = kind
        if kind == "linear":
            self.proj = torch.nn.Linear(d_in, d_out)
            self.layers = ["proj"]
        else:
            self.fc1 = torch.nn.Linear(d_in, d_out)
            self.fc2 = torch.nn.Linear(d_out, d_out)
            self.layers = ["fc1", "fc2"]

    def forward(self, x):
        if self.kind == "linear":
            return F.normalize(self.proj(x), dim=-1)
        return F.normalize(self.fc2(F.gelu(self.fc1(x))), dim=-1)


def precision_at_5(queries, query_dx, library, library_dx):
    """Share of the 5 nearest (cosine) library cases that have the query's diagnosis, averaged."""
    sims = queries @ library.T
    top = torch.topk(sims, 5, dim=1).indices
    return (library_dx[top] == query_dx[:, None]).float().mean().item()


def fit(kind, x, y, subject_of, n_subjects, args, log, seed):
    """Each epoch draws one text per subject, so a batch never holds two texts of the same case."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    by_subject = [[] for _ in range(n_subjects)]
    for i, s in enumerate(subject_of):
        by_subject[s].append(i)
    model = Projection(kind)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    steps = args.epochs * ((n_subjects + args.batch_size - 1) // args.batch_size)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=steps, pct_start=0.1)
    for epoch in range(args.epochs):
        order = rng.permutation(n_subjects)
        total, count = 0.0, 0
        for b in range(0, n_subjects, args.batch_size):
            subjects = order[b:b + args.batch_size]
            idx = torch.tensor([by_subject[s][rng.integers(len(by_subject[s]))] for s in subjects])
            p = model(x[idx])
            t = y[torch.as_tensor(subjects)]
            logits = p @ t.T / args.temperature
            labels = torch.arange(len(subjects))
            loss = (F.cross_entropy(logits, labels) + F.cross_entropy(logits.T, labels)) / 2 \
                + args.mse_weight * F.mse_loss(p, t, reduction="sum") / len(subjects)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(subjects)
            count += len(subjects)
        if (epoch + 1) % 10 == 0 or epoch + 1 == args.epochs:
            log(model=kind, epoch=epoch + 1, loss=round(total / count, 4))
    model.eval()
    return model


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--text-model", default=os.path.expanduser("~/.cache/memoir/models/all-MiniLM-L6-v2"))
    p.add_argument("--encoder", default=os.path.join(ROOT, "Models/fused-encoder-w16"),
                   help="fused encoder directory whose case embeddings are the targets (for its weights hash)")
    p.add_argument("--modalities", default="t1+fa+clinical")
    p.add_argument("--subset-variants", type=int, default=3, help="short sentence-subset texts per training case")
    p.add_argument("--epochs", type=int, default=60)
    p.add_argument("--batch-size", type=int, default=256)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--weight-decay", type=float, default=1e-4)
    p.add_argument("--temperature", type=float, default=0.05)
    p.add_argument("--mse-weight", type=float, default=0.5)
    p.add_argument("--kinds", default="linear,mlp")
    p.add_argument("--validation", type=float, default=0.1, help="share of training subjects held out to pick the kind")
    p.add_argument("--cache", default=os.path.join(ROOT, ".build/projection-cache"))
    p.add_argument("--seed", type=int, default=2363)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--embed-only", action="store_true", help="only compute (and cache) the MiniLM text embeddings")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    if args.embed_only:
        train(args, None)
    else:
        # Written in a staging folder and swapped in whole: a failed or interrupted run leaves the old model.
        RunOutput.produce(args.out, lambda output: train(args, output))


def train(args, output):
    """Embeds the texts, fits and picks the projection and, with an `output` (a RunOutput), exports it."""
    start = time.time()

    def log(**fields):
        if output:
            output.log(**fields)
        else:
            print(json.dumps({"t": round(time.time() - start, 1), **fields}), flush=True)

    con = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    rows = {r["id"]: dict(r) for r in con.execute("SELECT * FROM subjects ORDER BY id")}

    # Texts and their MiniLM embeddings depend on the captions only (cached), so they can be computed
    # before the case embeddings exist (--embed-only).
    rng = random.Random(args.seed)
    all_train = sorted(i for i, r in rows.items() if r["split"] == "train")
    test_ids = sorted(i for i, r in rows.items() if r["split"] == "test")
    texts, text_owner = [], []
    for sid in all_train:
        for t in variants(rows[sid], rng, args.subset_variants):
            texts.append(t)
            text_owner.append(sid)
    test_texts = [query_description(rows[i]) for i in test_ids]
    all_vectors = embed(texts + test_texts, args.text_model, args.cache, args.threads, log)
    if args.embed_only:
        log(message="embedded only", texts=len(texts) + len(test_texts))
        return

    enc_hash = encoder_hash(args.encoder)
    vecs = {}
    for sid, blob in con.execute("SELECT subject_id, vector FROM embeddings WHERE encoder_hash = ? AND modalities = ?",
                                 (enc_hash, args.modalities)):
        vecs[sid] = np.frombuffer(blob, dtype="<f4")
    con.close()
    if not vecs:
        raise SystemExit(f"{args.db}: no '{args.modalities}' embeddings of encoder {enc_hash[:12]} ({args.encoder}); "
                         "fill the embedding cache first")
    dims = {v.shape[0] for v in vecs.values()}
    if len(dims) != 1:
        raise SystemExit(f"{args.db}: embeddings of mixed dimension {sorted(dims)}")
    train_ids = [i for i in all_train if i in vecs]
    test_with_z = [i for i in test_ids if i in vecs]
    log(message="data", db=os.path.abspath(args.db), encoder_hash=enc_hash, modalities=args.modalities,
        train=len(all_train), train_with_embedding=len(train_ids), test=len(test_ids),
        test_with_embedding=len(test_with_z), args=vars(args))

    pos = {sid: n for n, sid in enumerate(train_ids)}
    keep = [k for k, sid in enumerate(text_owner) if sid in pos]
    train_texts = [texts[k] for k in keep]
    x_train = torch.from_numpy(all_vectors[keep])
    x_test = torch.from_numpy(all_vectors[len(texts):])
    owner = np.array([pos[text_owner[k]] for k in keep])
    y_train = F.normalize(torch.from_numpy(np.stack([vecs[i] for i in train_ids])), dim=-1)
    dx = {"CN": 0, "MCI": 1, "Dementia": 2}
    dx_train = torch.tensor([dx[rows[i]["diagnosis"]] for i in train_ids])
    log(message="texts", train_texts=len(train_texts), per_case=round(len(train_texts) / len(train_ids), 2),
        examples=train_texts[2:2 + args.subset_variants])
    shuffled = list(train_ids)
    random.Random(args.seed + 1).shuffle(shuffled)
    n_val = int(len(train_ids) * args.validation)
    val_ids, fit_ids = sorted(shuffled[:n_val]), sorted(shuffled[n_val:])

    # Pick the kind on the validation slice: fit on the rest, query with validation captions without diagnosis.
    fit_pos = np.array([pos[i] for i in fit_ids])
    val_pos = np.array([pos[i] for i in val_ids])
    remap = {old: new for new, old in enumerate(fit_pos)}
    fit_rows = [k for k in range(len(owner)) if owner[k] in remap]
    val_set = set(val_pos.tolist())
    val_query_rows = [k for k in range(len(owner)) if owner[k] in val_set and train_texts[k] == query_description(rows[train_ids[owner[k]]])]
    scores = {}
    for kind in args.kinds.split(","):
        m = fit(kind, x_train[fit_rows], y_train[fit_pos], [remap[owner[k]] for k in fit_rows], len(fit_pos), args, log, args.seed)
        with torch.no_grad():
            q = m(x_train[val_query_rows])
        scores[kind] = precision_at_5(q, dx_train[owner[val_query_rows]], y_train[fit_pos], dx_train[fit_pos])
        log(message="validation", model=kind, precision_at_5=round(scores[kind], 4), queries=len(val_query_rows))
    best = max(scores, key=scores.get)

    model = fit(best, x_train, y_train, list(owner), len(train_ids), args, log, args.seed)
    with torch.no_grad():
        q = model(x_test)
    dx_test = torch.tensor([dx[rows[i]["diagnosis"]] for i in test_ids])
    report = {"message": "test", "model": best, "queries": len(test_ids),
              "text_projection_precision_at_5": round(precision_at_5(q, dx_test, y_train, dx_train), 4),
              "chance": round(float(np.mean([(dx_train == d).float().mean().item() for d in dx_test.tolist()])), 4)}
    if test_with_z:
        z = F.normalize(torch.from_numpy(np.stack([vecs[i] for i in test_with_z])), dim=-1)
        dz = torch.tensor([dx[rows[i]["diagnosis"]] for i in test_with_z])
        report["case_embedding_precision_at_5"] = round(precision_at_5(z, dz, y_train, dx_train), 4)
        report["case_embedding_queries"] = len(test_with_z)
        # How close the projected text lands to the case's own embedding (cosine), on average.
        own = [test_ids.index(i) for i in test_with_z]
        report["mean_cosine_to_own_case"] = round((q[own] * z).sum(-1).mean().item(), 4)
    log(**report)

    state = {f"{name}.{p}": getattr(model, name).state_dict()[p].detach().float().contiguous()
             for name in model.layers for p in ("weight", "bias")}
    save_file(state, output.path("model.safetensors"), metadata={"format": "pt"})
    config = {
        "format": "memoir-text-projection/1",
        "input_dim": 384, "output_dim": int(y_train.shape[1]),
        "layers": model.layers, "activation": "gelu" if best == "mlp" else "none", "normalize": True,
        "text_model": "all-MiniLM-L6-v2",
        "text_model_sha256": sha256_file(os.path.join(args.text_model, "model.safetensors")),
        "case_encoder_hash": enc_hash, "modalities": args.modalities,
        "temperature": args.temperature,
    }
    output.write_json("config.json", config)
    log(message="exported", model=best, directory=os.path.abspath(args.out), seconds=round(time.time() - start))


if __name__ == "__main__":
    main()
