"""Trains Memoir's fused encoder on an ingested cohort, MEMOIR-VLM style, and exports it for Swift.

Stage 1: pairwise InfoNCE between the modality embeddings present in the batch (T1–FA, T1–clinical, FA–clinical).
Stage 2: multi-task heads (focal loss γ=2 for dx3 / CN-vs-Dementia / sex, smooth L1 for age and CDR-SB) with
differential learning rates (backbone < heads). Modality dropout throughout: T1 10 %, FA 30 %, clinical 5 %.
Uses a GPU when present, else CPU.

  .venv-ref/bin/python Training/train_encoder.py --db COHORT.sqlite --out Models/fused-encoder-w16
"""
import argparse
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from memoir_encoder.data import read_cases, tabular, volume_cache  # noqa: E402
from memoir_encoder.model import FusedEncoder, default_config, export, parameter_count  # noqa: E402
from memoir_encoder.hashing import sha256_file  # noqa: E402
from memoir_encoder.run_output import RunOutput  # noqa: E402

DROP = {"t1": 0.10, "fa": 0.30, "clinical": 0.05}


def focal_loss(logits, target, gamma=2.0):
    logp = F.log_softmax(logits, -1).gather(1, target[:, None]).squeeze(1)
    return (-(1 - logp.exp()) ** gamma * logp).mean()


def batch_for(idx, tab, t1, fa, device, dropout, generator):
    b = len(idx)
    present = torch.stack([tab["has_t1"][idx], tab["has_fa"][idx], torch.ones(b, dtype=torch.bool)], 1)
    if dropout:
        drop = torch.rand(b, 3, generator=generator) < torch.tensor([DROP["t1"], DROP["fa"], DROP["clinical"]])
        kept = present & ~drop
        # Never drop everything a case has: keep its first available modality.
        empty = ~kept.any(1)
        first = present.float().argmax(1)
        kept[empty, first[empty]] = True
        present = kept
    ids = idx.numpy()
    return {
        "t1": torch.from_numpy(np.asarray(t1[ids], dtype=np.float32))[:, None].to(device),
        "fa": torch.from_numpy(np.asarray(fa[ids], dtype=np.float32))[:, None].to(device),
        "scores": tab["scores"][idx].to(device), "score_present": tab["score_present"][idx].to(device),
        "apoe": tab["apoe"][idx].to(device), "present": present.to(device),
    }


def info_nce(tokens, present, scale):
    loss, pairs = 0.0, 0
    for a, b in ((0, 1), (0, 2), (1, 2)):
        both = present[:, a] & present[:, b]
        if both.sum() < 2:
            continue
        za, zb = tokens[both, a], tokens[both, b]
        logits = scale * za @ zb.T
        target = torch.arange(len(za), device=za.device)
        loss = loss + (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target)) / 2
        pairs += 1
    return loss / max(pairs, 1)


def multitask_loss(c, heads, tab, idx, device):
    dx = tab["dx"][idx].to(device)
    loss = focal_loss(heads["dx3"], dx)
    binary = dx != 1
    if binary.any():
        loss = loss + focal_loss(heads["dx_binary"][binary], (dx[binary] == 2).long())
    sex = tab["sex"][idx].to(device)
    if (sex >= 0).any():
        loss = loss + focal_loss(heads["sex"][sex >= 0], sex[sex >= 0])
    for name in ("age", "cdrsb"):
        y = tab[name][idx].to(device)
        ok = ~torch.isnan(y)
        if ok.any():
            target = (y[ok] - c[f"{name}_mean"]) / c[f"{name}_std"]
            loss = loss + F.smooth_l1_loss(heads[name].squeeze(-1)[ok], target)
    return loss


def evaluate(model, c, tab, t1, fa, idx, device):
    model.eval()
    correct, total, age_err = 0, 0, 0.0
    with torch.no_grad():
        for s in range(0, len(idx), 32):
            part = idx[s:s + 32]
            z, heads = model(batch_for(part, tab, t1, fa, device, False, None), pooled=True)
            pred = heads["dx3"].argmax(-1).cpu()
            correct += (pred == tab["dx"][part]).sum().item()
            total += len(part)
            age = heads["age"].squeeze(-1).cpu() * c["age_std"] + c["age_mean"]
            age_err += (age - tab["age"][part]).abs().nansum().item()
    model.train()
    return {"dx3_accuracy": correct / max(total, 1), "age_mae": age_err / max(total, 1)}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--width", type=int, default=16)
    p.add_argument("--input-pool", type=int, default=2)
    p.add_argument("--contrastive-epochs", type=int, default=3)
    p.add_argument("--multitask-epochs", type=int, default=8)
    p.add_argument("--batch-size", type=int, default=24)
    p.add_argument("--lr", type=float, default=1e-3, help="stage 1 and stage 2 heads/fusion")
    p.add_argument("--backbone-lr", type=float, default=2e-4, help="stage 2 modality encoders")
    p.add_argument("--seed", type=int, default=2363)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--cache", default=os.path.expanduser(os.environ.get("MEMOIR_HOME", "~/.cache/memoir")) + "/training-cache")
    p.add_argument("--half", action="store_true", help="export float16 weights")
    args = p.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    # Written in a staging folder and swapped in whole: a failed or interrupted run leaves the old model.
    RunOutput.produce(args.out, lambda output: train(args, device, output))


def train(args, device, output):
    def log(message=None, **fields):
        output.log(**({"message": message} if message else {}), **fields)

    start = time.time()
    rows = read_cases(args.db)
    train_rows = [r for r in rows if r["split"] == "train"]
    tab = tabular(train_rows)
    t1 = volume_cache(train_rows, "t1", args.input_pool, args.cache, log)
    fa = volume_cache(train_rows, "fa", args.input_pool, args.cache, log)

    # Standardisation constants from the training split only.
    def stats(values):
        v = np.array([x for x in values if x is not None], dtype=np.float64)
        return float(v.mean()), float(max(v.std(), 1e-3))
    cols = ["adas11", "adas13", "mmse", "moca"]
    clinical = [stats([r[k] for r in train_rows]) for k in cols]
    age, cdrsb = stats([r["age"] for r in train_rows]), stats([r["cdrsb"] for r in train_rows])
    config = default_config(input_pool=args.input_pool, width=args.width,
                            clinical_mean=[m for m, _ in clinical], clinical_std=[s for _, s in clinical],
                            age_mean=age[0], age_std=age[1], cdrsb_mean=cdrsb[0], cdrsb_std=cdrsb[1])
    model = FusedEncoder(config).to(device)
    db_hash = sha256_file(args.db)
    log("start", device=device, threads=args.threads, parameters=parameter_count(config), train_cases=len(train_rows),
        db=args.db, db_sha256=db_hash, seed=args.seed, args=vars(args))

    n = len(train_rows)
    perm = torch.randperm(n, generator=torch.Generator().manual_seed(args.seed))
    val_idx, fit_idx = perm[: n // 10], perm[n // 10:]
    generator = torch.Generator().manual_seed(args.seed + 1)
    logit_scale = torch.nn.Parameter(torch.tensor(math.log(1 / 0.07), device=device))

    # Stage 1: contrastive alignment of the modality encoders.
    encoders = [*model.t1_encoder.parameters(), *model.fa_encoder.parameters(), *model.clinical_encoder.parameters()]
    opt = torch.optim.AdamW([{"params": encoders}, {"params": [logit_scale]}], lr=args.lr, weight_decay=1e-4)
    for epoch in range(args.contrastive_epochs):
        order = fit_idx[torch.randperm(len(fit_idx), generator=generator)]
        total, steps = 0.0, 0
        for s in range(0, len(order) - args.batch_size + 1, args.batch_size):
            idx = order[s:s + args.batch_size]
            batch = batch_for(idx, tab, t1, fa, device, True, generator)
            tokens, present = model.modality_embeddings(batch, pooled=True)
            loss = info_nce(tokens, present, logit_scale.exp().clamp(max=100))
            opt.zero_grad()
            loss.backward()
            opt.step()
            total, steps = total + loss.item(), steps + 1
        log("stage1", epoch=epoch + 1, info_nce=round(total / max(steps, 1), 4))

    # Stage 2: multi-task fine-tuning, backbone slower than fusion and heads.
    head_params = [*model.fusion.parameters(), *model.heads.parameters()]
    opt = torch.optim.AdamW([{"params": encoders, "lr": args.backbone_lr}, {"params": head_params, "lr": args.lr}],
                            weight_decay=1e-4)
    steps_total = args.multitask_epochs * (len(fit_idx) // args.batch_size)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=[args.backbone_lr, args.lr], total_steps=max(steps_total, 1))
    for epoch in range(args.multitask_epochs):
        order = fit_idx[torch.randperm(len(fit_idx), generator=generator)]
        total, steps = 0.0, 0
        for s in range(0, len(order) - args.batch_size + 1, args.batch_size):
            idx = order[s:s + args.batch_size]
            _, heads = model(batch_for(idx, tab, t1, fa, device, True, generator), pooled=True)
            loss = multitask_loss(config, heads, tab, idx, device)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total, steps = total + loss.item(), steps + 1
        log("stage2", epoch=epoch + 1, loss=round(total / max(steps, 1), 4),
            validation=evaluate(model, config, tab, t1, fa, val_idx, device))

    model = model.cpu().eval()
    export(model, output.staging, half=args.half)
    log("exported", directory=args.out, seconds=round(time.time() - start))


if __name__ == "__main__":
    main()
