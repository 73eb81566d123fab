"""Golden outputs of the PyTorch reference encoder for the Swift parity tests (Tests/FusedEncoderTests).

A tiny configuration (small grid, width 4, 64-d embeddings) with random weights and non-trivial batch-norm
statistics, two cases, and z plus decoded heads for each of the 7 modality subsets.
Run: .venv-ref/bin/python Training/make_encoder_goldens.py
"""
import itertools
import json
import os
import sys

import nibabel as nib
import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from memoir_encoder.model import FusedEncoder, decode_heads, default_config, export  # noqa: E402

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
out = os.path.join(root, "Fixtures", "encoder")
torch.manual_seed(20261122)
config = default_config(input_shape=[21, 26, 22], input_pool=1, width=4, embed_dim=64, attention_heads=8,
                        clinical_hidden=32, apoe_dim=8, head_hidden=32)
model = FusedEncoder(config)
with torch.no_grad():  # make batch norm and LayerNorm affine non-trivial so folding is really tested
    for name, module in model.named_modules():
        if isinstance(module, torch.nn.BatchNorm3d):
            module.running_mean.uniform_(-0.2, 0.2)
            module.running_var.uniform_(0.5, 1.5)
            module.weight.uniform_(0.7, 1.3)
            module.bias.uniform_(-0.1, 0.1)
        if isinstance(module, torch.nn.LayerNorm):
            module.weight.uniform_(0.8, 1.2)
            module.bias.uniform_(-0.1, 0.1)
model.eval()
export(model, os.path.join(out, "model"))

affine = np.diag([-2.0, 2.0, 2.0, 1.0])
cases = []
rng = np.random.default_rng(7)
for n in range(2):
    shape = tuple(config["input_shape"])
    t1 = (rng.random(shape) * 900 + 100) * (rng.random(shape) > 0.2)  # zeros = background for the z-score mask
    fa = np.clip(rng.random(shape) * 0.8, 0, 1).astype(np.float32)
    nib.save(nib.Nifti1Image(t1.astype(np.float32), affine), os.path.join(out, f"case{n}_t1.nii.gz"))
    nib.save(nib.Nifti1Image(fa, affine), os.path.join(out, f"case{n}_fa.nii.gz"))
    # Reference preprocessing: z-score T1 over non-zero voxels; FA as is.
    mask = t1 > 0
    t1n = np.where(mask, (t1 - t1[mask].mean()) / t1[mask].std(), 0).astype(np.float32)
    scores = [12.33, None, 24.0, 21.0] if n == 0 else [None, 30.0, 19.0, None]
    apoe = 5 if n == 0 else 0
    cases.append({"id": f"case{n}", "t1": f"case{n}_t1.nii.gz", "fa": f"case{n}_fa.nii.gz", "scores": scores,
                  "apoe_index": apoe, "_t1": t1n, "_fa": fa})

subsets = [s for r in (1, 2, 3) for s in itertools.combinations(("t1", "fa", "clinical"), r)]
results = []
with torch.no_grad():
    for case in cases:
        for subset in subsets:
            batch = {
                "t1": torch.from_numpy(case["_t1"])[None, None],
                "fa": torch.from_numpy(case["_fa"])[None, None],
                "scores": torch.tensor([[v if v is not None else 0.0 for v in case["scores"]]]),
                "score_present": torch.tensor([[0.0 if v is None else 1.0 for v in case["scores"]]]),
                "apoe": torch.tensor([case["apoe_index"]]),
                "present": torch.tensor([[m in subset for m in ("t1", "fa", "clinical")]]),
            }
            z, heads = model(batch)
            decoded = decode_heads(config, heads)
            results.append({"case": case["id"], "modalities": list(subset), "z": z[0].tolist(),
                            **{k: (v[0].tolist()) for k, v in decoded.items()}})

with open(os.path.join(out, "goldens.json"), "w") as f:
    json.dump({"torch": torch.__version__, "cases": [{k: v for k, v in c.items() if not k.startswith("_")} for c in cases],
               "results": results}, f, indent=1)
print("wrote", len(results), "golden results to", out)
