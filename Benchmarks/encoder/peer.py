"""PyTorch side of the fused-encoder benchmark (Benchmarks/encoder/run.sh), using the reference model
Training/memoir_encoder/model.py.

  make  --out DIR [--width 64 --input-pool 1]   random-initialised config.json + model.safetensors (float32)
  inputs --model DIR --out DIR                  one preprocessed case (t1.f32, fa.f32, clinical.json) and the
                                                reference z and heads PyTorch computes for it (reference.json)
  time  --model DIR --inputs DIR --threads N    per-case forward time (T1 + FA + clinical), one JSON line
"""
import argparse
import json
import os
import resource
import statistics
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Training"))
from memoir_encoder.model import FusedEncoder, decode_heads, default_config, export, gflops_per_volume, load  # noqa: E402


def make(args):
    torch.manual_seed(args.seed)
    config = default_config(width=args.width, input_pool=args.input_pool)
    model = FusedEncoder(config)
    with torch.no_grad():  # non-trivial batch-norm statistics, as a trained network has
        for module in model.modules():
            if isinstance(module, torch.nn.BatchNorm3d):
                module.running_mean.uniform_(-0.2, 0.2)
                module.running_var.uniform_(0.5, 1.5)
    export(model.eval(), args.out)
    params = sum(p.numel() for p in model.parameters())
    print(json.dumps({"model": args.out, "parameters": params, "gflops_per_volume": gflops_per_volume(config)}))


def batch_for(inputs, shape):
    t1 = np.fromfile(os.path.join(inputs, "t1.f32"), dtype="<f4").reshape(shape)
    fa = np.fromfile(os.path.join(inputs, "fa.f32"), dtype="<f4").reshape(shape)
    with open(os.path.join(inputs, "clinical.json")) as f:
        clinical = json.load(f)
    scores = [clinical["scores"].get(k) for k in ("ADAS11", "ADAS13", "MMSE", "MOCA")]
    return {
        "t1": torch.from_numpy(t1)[None, None], "fa": torch.from_numpy(fa)[None, None],
        "scores": torch.tensor([[0.0 if v is None else v for v in scores]]),
        "score_present": torch.tensor([[0.0 if v is None else 1.0 for v in scores]]),
        "apoe": torch.tensor([clinical["apoe_index"]]),
        "present": torch.tensor([[True, True, True]]),
    }


def inputs(args):
    model = load(args.model)
    shape = model.config["input_shape"]
    rng = np.random.default_rng(11)
    os.makedirs(args.out, exist_ok=True)
    # Preprocessed values: T1 z-scored with a zero background, FA in [0, 0.8]; [X, Y, Z], Z fastest.
    t1 = (rng.standard_normal(shape) * (rng.random(shape) > 0.3)).astype("<f4")
    fa = (rng.random(shape) * 0.8).astype("<f4")
    t1.tofile(os.path.join(args.out, "t1.f32"))
    fa.tofile(os.path.join(args.out, "fa.f32"))
    with open(os.path.join(args.out, "clinical.json"), "w") as f:
        json.dump({"scores": {"ADAS11": 12.33, "ADAS13": 20.0, "MMSE": 24.0, "MOCA": 21.0}, "apoe_index": 5}, f)
    with torch.inference_mode():
        z, heads = model(batch_for(args.out, shape))
        decoded = decode_heads(model.config, heads)
    with open(os.path.join(args.out, "reference.json"), "w") as f:
        json.dump({"z": z[0].tolist(), "dx3": decoded["dx3"][0].tolist()}, f)


def time_forward(args):
    torch.set_num_threads(args.threads)
    model = load(args.model)
    batch = batch_for(args.inputs, model.config["input_shape"])
    times = []
    with torch.inference_mode():
        model(batch)  # warm-up
        for _ in range(args.repeats):
            start = time.perf_counter()
            model(batch)
            times.append(time.perf_counter() - start)
    gflop = 2 * gflops_per_volume(model.config)  # T1 and FA ResNets; the clinical MLP and fusion are negligible
    best = min(times)
    print(json.dumps({
        "impl": "pytorch", "model": args.model, "threads": torch.get_num_threads(), "repeats": args.repeats,
        "seconds_per_case_median": statistics.median(times), "seconds_per_case_best": best,
        "gflop_per_case": gflop, "gflops_per_second": gflop / best,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "torch": torch.__version__, "mkldnn": torch.backends.mkldnn.is_available(),
    }))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("make")
    m.add_argument("--out", required=True)
    m.add_argument("--width", type=int, default=64)
    m.add_argument("--input-pool", type=int, default=1)
    m.add_argument("--seed", type=int, default=2363)
    i = sub.add_parser("inputs")
    i.add_argument("--model", required=True)
    i.add_argument("--out", required=True)
    t = sub.add_parser("time")
    t.add_argument("--model", required=True)
    t.add_argument("--inputs", required=True)
    t.add_argument("--threads", type=int, default=2)
    t.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    {"make": make, "inputs": inputs, "time": time_forward}[args.command](args)


if __name__ == "__main__":
    main()
