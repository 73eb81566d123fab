#!/usr/bin/env python3
"""The Python peers of `memoir-bench embed`: all-MiniLM-L6-v2 sentence embeddings on CPU with
sentence-transformers (PyTorch) or onnxruntime, end to end (tokenise, encode, mean-pool, normalise).

    .venv-ref/bin/python Benchmarks/text/peer.py --impl sentence-transformers --batch-size 32 --threads 2
    .venv-ref/bin/python Benchmarks/text/peer.py --impl onnxruntime --batch-size 1 --threads 2

Like memoir-bench: one untimed warm-up pass over all the sentences, then one timed pass, and one
JSON line {"impl", "batch_size", "sentences", "seconds", "sentences_per_second", "peak_rss_mb", ...}.
The onnxruntime model is exported once from the Hugging Face BertModel with torch.onnx.export
into --onnx-cache (default .cache/bench/all-MiniLM-L6-v2.onnx, git-ignored).
"""
import argparse
import json
import os
import resource
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import onnx_peer  # noqa: E402 (Benchmarks/onnx_peer.py)

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MAX_SEQ_LENGTH = 256


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def sentence_transformers_encoder(model_dir, threads):
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(threads)
    model = SentenceTransformer(model_dir, device="cpu")

    def encode(sentences, batch_size):
        return model.encode(sentences, batch_size=batch_size, convert_to_numpy=True)

    return encode, {"torch": torch.__version__, "torch_threads": torch.get_num_threads()}


def export_onnx(model_dir, path):
    import torch
    from transformers import BertModel

    class LastHiddenState(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.bert = BertModel.from_pretrained(model_dir, add_pooling_layer=False)

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask,
                             token_type_ids=token_type_ids).last_hidden_state

    onnx_peer.export(LastHiddenState(), path, "last_hidden_state", {0: "batch", 1: "sequence"})


def onnxruntime_encoder(model_dir, threads, onnx_path):
    import numpy as np
    from transformers import BertTokenizerFast

    if not os.path.isfile(onnx_path):
        export_onnx(model_dir, onnx_path)
    session, info = onnx_peer.cpu_session(onnx_path, threads)
    tokenizer = BertTokenizerFast.from_pretrained(model_dir)

    def encode(sentences, batch_size):
        # As sentence-transformers does: longest first, so each batch pads little.
        order = sorted(range(len(sentences)), key=lambda i: -len(sentences[i]))
        out = [None] * len(sentences)
        for start in range(0, len(order), batch_size):
            batch = order[start:start + batch_size]
            enc = tokenizer([sentences[i] for i in batch], padding=True, truncation=True,
                            max_length=MAX_SEQ_LENGTH, return_tensors="np")
            feeds = {k: enc[k].astype(np.int64) for k in ("input_ids", "attention_mask", "token_type_ids")}
            hidden = session.run(None, feeds)[0]
            mask = feeds["attention_mask"][..., None].astype(np.float32)
            pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
            pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
            for i, vector in zip(batch, pooled):
                out[i] = vector
        return np.stack(out)

    return encode, info


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--impl", choices=["sentence-transformers", "onnxruntime"], required=True)
    parser.add_argument("--sentences", default=os.path.join(ROOT, "Benchmarks/text/sentences.txt"))
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--model", default=os.environ.get("MEMOIR_MINILM_DIR") or os.path.expanduser("~/.cache/memoir/models/all-MiniLM-L6-v2"))
    parser.add_argument("--onnx-cache", default=os.path.join(ROOT, ".cache/bench/all-MiniLM-L6-v2.onnx"))
    parser.add_argument("--check-against", help="an .npy of reference embeddings to compare with (cosine)")
    args = parser.parse_args()

    with open(args.sentences, encoding="utf-8") as f:
        sentences = [line for line in f.read().split("\n") if line]
    if args.impl == "sentence-transformers":
        encode, info = sentence_transformers_encoder(args.model, args.threads)
    else:
        encode, info = onnxruntime_encoder(args.model, args.threads, args.onnx_cache)

    encode(sentences, args.batch_size)  # warm-up pass
    start = time.perf_counter()
    vectors = encode(sentences, args.batch_size)
    seconds = time.perf_counter() - start
    assert vectors.shape == (len(sentences), 384), vectors.shape
    result = {
        "impl": args.impl, "batch_size": args.batch_size, "sentences": len(sentences), "seconds": seconds,
        "sentences_per_second": len(sentences) / seconds, "peak_rss_mb": peak_rss_mb(), "threads": args.threads, **info,
    }
    if args.check_against:
        import numpy as np

        ref = np.load(args.check_against)
        result["min_cosine_vs_reference"] = float((vectors * ref).sum(axis=1).min())
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    sys.exit(main())
