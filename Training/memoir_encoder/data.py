"""Reads the cohort the Swift side ingested (the SQLite case store) and caches preprocessed volumes."""
import hashlib
import os
import sqlite3

import nibabel as nib
import numpy as np
import torch
import torch.nn.functional as F

from .model import APOE_GENOTYPES, CLINICAL_FEATURES

DIAGNOSES = ("CN", "MCI", "Dementia")
COLUMNS = {"ADAS11": "adas11", "ADAS13": "adas13", "MMSE": "mmse", "MOCA": "moca"}


def read_cases(db_path):
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    rows = [dict(r) for r in con.execute("SELECT * FROM subjects ORDER BY id")]
    con.close()
    if not rows:
        raise SystemExit(f"{db_path}: no subjects; run `memoir ingest` first")
    return rows


def apoe_index(text):
    return APOE_GENOTYPES.index(text) if text in APOE_GENOTYPES else 0


def preprocess_t1(path):
    """z-score over non-zero voxels, as Swift's VolumePreprocessor (t1_normalization = zscore_nonzero)."""
    v = np.asarray(nib.load(path).get_fdata(dtype=np.float32))
    mask = v > 0
    return np.where(mask, (v - v[mask].mean()) / max(v[mask].std(), 1e-6), 0).astype(np.float32)


def preprocess_fa(path):
    return np.asarray(nib.load(path).get_fdata(dtype=np.float32))


def volume_cache(rows, kind, pool, cache_dir, log=print):
    """[N, X', Y', Z'] float16 array of pooled volumes (zeros where the case lacks the modality), cached on disk."""
    key = hashlib.sha256("".join(f"{r['id']}:{r[kind + '_path']}" for r in rows).encode()).hexdigest()[:16]
    path = os.path.join(cache_dir, f"{kind}-pool{pool}-{key}.npy")
    if os.path.exists(path):
        return np.load(path, mmap_mode="r")
    os.makedirs(cache_dir, exist_ok=True)
    pre = preprocess_t1 if kind == "t1" else preprocess_fa
    out = None
    for n, r in enumerate(rows):
        if not r[kind + "_path"]:
            continue
        v = torch.from_numpy(pre(r[kind + "_path"]))[None, None]
        if pool > 1:
            v = F.avg_pool3d(v, pool)
        v = v[0, 0].numpy().astype(np.float16)
        if out is None:
            out = np.zeros((len(rows),) + v.shape, dtype=np.float16)
        out[n] = v
        if n % 200 == 0:
            log(f"caching {kind} volumes: {n}/{len(rows)}")
    if out is None:
        raise SystemExit(f"no training case has a {kind} volume: the encoder trainer needs imaging "
                         "(a cohort made without --no-images, or NIfTI paths in the ingested CSV)")
    np.save(path + ".tmp.npy", out)
    os.replace(path + ".tmp.npy", path)
    return np.load(path, mmap_mode="r")


def tabular(rows):
    """Clinical inputs and targets as tensors (targets never enter the model)."""
    scores = torch.tensor([[r[COLUMNS[f]] if r[COLUMNS[f]] is not None else 0.0 for f in CLINICAL_FEATURES] for r in rows])
    present = torch.tensor([[0.0 if r[COLUMNS[f]] is None else 1.0 for f in CLINICAL_FEATURES] for r in rows])
    return {
        "scores": scores.float(), "score_present": present.float(),
        "apoe": torch.tensor([apoe_index(r["apoe"]) for r in rows]),
        "has_t1": torch.tensor([r["t1_path"] is not None for r in rows]),
        "has_fa": torch.tensor([r["fa_path"] is not None for r in rows]),
        "dx": torch.tensor([DIAGNOSES.index(r["diagnosis"]) for r in rows]),
        "sex": torch.tensor([-1 if r["sex"] is None else (0 if r["sex"] == "F" else 1) for r in rows]),
        "age": torch.tensor([float("nan") if r["age"] is None else r["age"] for r in rows]),
        "cdrsb": torch.tensor([float("nan") if r["cdrsb"] is None else r["cdrsb"] for r in rows]),
    }
