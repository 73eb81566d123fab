"""Reference outputs of Memoir's text→case projection (Models/text-projection) for Swift's `TextProjection`.

A few descriptions are embedded with sentence-transformers (all-MiniLM-L6-v2, as Swift's SentenceEncoder) and
projected in PyTorch exactly as Training/train_text_projection.py defines the model (layers from config.json,
GELU between them, then L2 normalisation). goldens.json holds the 384-d inputs and 512-d outputs, so the Swift
test needs neither PyTorch nor the text model.

  HF_HUB_OFFLINE=1 .venv-ref/bin/python Fixtures/projection/make_projection_goldens.py
"""
import argparse
import hashlib
import json
import os

import torch
import torch.nn.functional as F
from safetensors.torch import load_file

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TEXTS = [
    "A 74-year-old woman with 16 years of education. MMSE is 22 of 30. CDR-SB is 4.5 of 18. Carries one APOE ε4 allele (ε3/ε4).",
    "MMSE is 29 of 30. MoCA is 28 of 30. Carries no APOE ε4 allele (ε3/ε3).",
    "Subject 941_S_0001 is a 81-year-old man with 12 years of education. MMSE is 26 of 30. CDR-SB is 1.5 of 18. ADAS-Cog 11 is 10.33 of 70. ADAS-Cog 13 is 17 of 85. MoCA is 22 of 30. Carries two APOE ε4 alleles (ε4/ε4). T1 MRI brain parenchymal fraction is 0.781. DTI mean white-matter FA is 0.402.",
    "memory complaints, mild cognitive impairment",
    "Diagnosis: dementia (Dementia). ADAS-Cog 13 is 38 of 85.",
    "",
]


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default=os.path.join(ROOT, "Models/text-projection"))
    p.add_argument("--text-model", default=os.path.expanduser("~/.cache/memoir/models/all-MiniLM-L6-v2"))
    args = p.parse_args()
    from sentence_transformers import SentenceTransformer
    inputs = SentenceTransformer(args.text_model, device="cpu").encode(TEXTS, convert_to_tensor=True).float()
    with open(os.path.join(args.model, "config.json")) as f:
        config = json.load(f)
    weights = load_file(os.path.join(args.model, "model.safetensors"))
    x = inputs.double()
    for i, name in enumerate(config["layers"]):
        x = x @ weights[name + ".weight"].double().T + weights[name + ".bias"].double()
        if i < len(config["layers"]) - 1 and config["activation"] == "gelu":
            x = F.gelu(x)
        elif i < len(config["layers"]) - 1 and config["activation"] == "relu":
            x = F.relu(x)
    if config["normalize"]:
        x = F.normalize(x, dim=-1)
    result = {
        "model_weights_sha256": sha256(os.path.join(args.model, "model.safetensors")),
        "note": "outputs computed in float64 from the float32 inputs and weights",
        "cases": [{"text": t, "input": [float(v) for v in i.tolist()], "output": [float(v) for v in o.tolist()]}
                  for t, i, o in zip(TEXTS, inputs, x)],
    }
    out = os.path.join(HERE, "goldens.json")
    with open(out + ".tmp", "w") as f:
        json.dump(result, f, ensure_ascii=False)
        f.write("\n")
    os.replace(out + ".tmp", out)
    print(f"wrote {len(TEXTS)} cases to {out}")


if __name__ == "__main__":
    main()
