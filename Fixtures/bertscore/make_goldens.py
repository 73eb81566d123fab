#!/usr/bin/env python3
"""Writes Fixtures/bertscore/goldens.json with the bert-score package (0.3.13) on a local
BERT model directory, for Tests/EvaluationTests/BERTScoreParityTests.swift.

    .venv-ref/bin/python Fixtures/bertscore/make_goldens.py [--model DIR]

Needs .venv-ref (bash Scripts/setup-reference.sh). The model directory defaults to
~/.cache/memoir/models/all-MiniLM-L6-v2. CPU, 2 torch threads, batch size 64 (the package's
default); deterministic for fixed library versions.
"""
import argparse
import hashlib
import json
import os
import platform

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import torch  # noqa: E402
import transformers  # noqa: E402
import bert_score  # noqa: E402
from bert_score.utils import get_tokenizer, sent_encode  # noqa: E402
from importlib.metadata import version as dist_version  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))

# (layer, idf) settings recorded; layer 5 is Memoir's default for all-MiniLM-L6-v2.
CONFIGS = [(5, False), (5, True), (6, False), (0, True)]

LONG_REFERENCE = (
    "Subject 941_S_0107 is a 77-year-old woman with 14 years of education. Diagnosis: dementia (Dementia). "
    "MMSE is 19 of 30. CDR-SB is 6.5 of 18. ADAS-Cog 11 is 24.33 of 70. ADAS-Cog 13 is 36 of 85. MoCA is 14 of 30. "
    "Carries two APOE ε4 alleles (ε4/ε4). T1 MRI brain parenchymal fraction is 0.712. DTI mean white-matter FA is 0.381. "
    "Among the five most similar retrieved subjects, four were diagnosed with dementia and one with mild cognitive "
    "impairment; their MMSE ranged from 17 to 23 and their CDR-SB from 4.5 to 9, which places this case firmly in "
    "the dementia range. Hippocampal atrophy and reduced white-matter integrity are consistent with Alzheimer's disease."
)
LONG_CANDIDATE = (
    "The most likely diagnosis is Alzheimer's dementia. The patient's MMSE of 19/30 and CDR-SB of 6.5 indicate "
    "moderate impairment, the ADAS-Cog 13 score of 36 is well above the range of cognitively normal subjects, and "
    "she is homozygous for APOE ε4, the strongest genetic risk factor. The retrieved cases with similar profiles "
    "(MMSE 17-23, CDR-SB 4.5-9) were mostly diagnosed with dementia; one was MCI. Imaging shows a reduced brain "
    "parenchymal fraction (0.712) and lower white-matter FA (0.381). Recommendation: confirm with amyloid PET or "
    "CSF biomarkers (Aβ42/40, p-tau181) and review medication (donepezil 10 mg q.d.)."
)
# Over 512 word pieces: the package truncates to the tokenizer's model_max_length.
VERY_LONG = " ".join(
    f"Visit {i}: MMSE {30 - i % 9}, CDR-SB {i % 7}.5, ADAS-13 {10 + i}; hippocampal volume {3.1 - i * 0.01:.2f} mL."
    for i in range(40)
)


def pairs():
    """(candidate, reference) pairs: clinical answers, paraphrases, long texts, punctuation, accents."""
    return [
        ("The most likely diagnosis is mild cognitive impairment (MCI).",
         "Diagnosis: mild cognitive impairment (MCI). MMSE is 27 of 30 and CDR-SB is 1.5 of 18."),
        ("Dementia due to Alzheimer's disease.",
         "The most likely diagnosis is dementia; MMSE is 20 of 30 and CDR-SB is 5 of 18."),
        ("The subject is cognitively normal.",
         "Diagnosis: cognitively normal (CN). MMSE is 30 of 30 and CDR-SB is 0 of 18."),
        ("CDR-SB is 4.5, which indicates mild dementia severity.",
         "CDR-SB is 4.5 of 18, in the range of very mild to mild dementia."),
        ("MMSE 24/30; MoCA 19/30.", "MMSE is 24 of 30. MoCA is 19 of 30."),
        ("The patient carries one APOE ε4 allele, which raises the risk of Alzheimer's disease.",
         "Carries one APOE ε4 allele (ε3/ε4): an increased genetic risk of Alzheimer's disease."),
        ("No APOE e4 allele.", "Carries no APOE ε4 allele (ε3/ε3): no increased genetic risk."),
        ("Similar cases were mostly MCI with MMSE between 25 and 28.",
         "Of the five most similar retrieved cases, three were MCI and two were cognitively normal; their MMSE ranged from 25 to 29."),
        ("I don't know.", "The most likely diagnosis is dementia."),
        ("Alzheimer's disease", "Alzheimer's disease"),
        ("mild cognitive impairment", "MILD COGNITIVE IMPAIRMENT"),
        ("Café naïve résumé Ménière's disease, Sjögren's syndrome.",
         "Cafe naive resume Meniere's disease, Sjogren's syndrome."),
        ("Straße, Ærø, İstanbul, ŁÓDŹ; Ångström units.", "Strasse, Aero, Istanbul, Lodz; Angstrom units."),
        ("Wait!!! What??? ...really?!?! --- (((ok)))", "Wait. What? Really? OK."),
        ("Amyloid PET SUVR 1.42 (centiloid 58); CSF Aβ42/40 ratio 0.061, p-tau181 28 pg/mL.",
         "Amyloid positive: PET SUVR 1.42, centiloid 58; CSF amyloid-beta 42/40 0.061 and p-tau181 28 pg/mL."),
        ("Pt. w/ Hx of HTN, T2DM; Rx: donepezil 10 mg q.d., memantine 20 mg/day.",
         "The patient has hypertension and type 2 diabetes and takes donepezil 10 mg daily and memantine 20 mg per day."),
        ("Hippocampal atrophy, left > right (Scheltens MTA score 3).",
         "MRI shows bilateral hippocampal atrophy, worse on the left (MTA 3)."),
        ("中文句子：阿尔茨海默病的早期诊断。", "Early diagnosis of Alzheimer's disease."),
        ("Patient smiled 😀 during the visit 🧠", "The patient smiled during the visit."),
        (LONG_CANDIDATE, LONG_REFERENCE),
        (LONG_REFERENCE, LONG_CANDIDATE),
        ("Severity: moderate.", LONG_REFERENCE),
        (VERY_LONG, LONG_REFERENCE),
        ("The answer could not be determined from the retrieved context.",
         "ADAS-Cog 13 is 31 of 85 and ADAS-Cog 11 is 20.33 of 70, both above the cognitively normal range."),
        ("  leading and trailing white space  ", "leading and trailing white space"),
        ("Tabs\tand\nnewlines and\u00a0no-break spaces", "Tabs and newlines and no-break spaces"),
        ("Diagnosis: CN.", "Diagnosis: Dementia."),
        ("Diagnosis: MCI.", "Diagnosis: MCI."),
        ("The retrieved subjects with T1 MRI and DTI had a mean FA of 0.41; this case's FA of 0.38 is lower.",
         "DTI mean white-matter FA is 0.381, lower than in similar cognitively normal subjects (0.42)."),
        ("[SEP] literal special tokens [CLS] in text", "literal special tokens in text"),
    ]


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=os.path.expanduser("~/.cache/memoir/models/all-MiniLM-L6-v2"))
    parser.add_argument("--out", default=os.path.join(HERE, "goldens.json"))
    args = parser.parse_args()
    model_dir = os.path.abspath(args.model)
    name = os.path.basename(model_dir.rstrip("/"))
    torch.set_num_threads(2)

    cands, refs = zip(*pairs())
    cands, refs = list(cands), list(refs)
    tokenizer = get_tokenizer(model_dir, use_fast=False)
    encoded = {t: sent_encode(tokenizer, t) for t in cands + refs}

    configs = []
    for layer, idf in CONFIGS:
        (P, R, F), package_hash = bert_score.score(
            cands, refs, model_type=model_dir, num_layers=layer, idf=idf, device="cpu",
            batch_size=64, nthreads=0, return_hash=True)
        configs.append({
            "layer": layer, "idf": idf,
            # The package names the model by the path it was given; we record the folder name.
            "hash": package_hash.replace(model_dir, name),
            "P": [round(float(x), 7) for x in P], "R": [round(float(x), 7) for x in R], "F": [round(float(x), 7) for x in F],
        })
        print(f"layer {layer} idf {idf}: mean F {float(F.mean()):.4f}")

    out = {
        "generator": "Fixtures/bertscore/make_goldens.py",
        "bert_score": dist_version("bert-score"), "bert_score_reported_version": bert_score.__version__,
        "transformers": transformers.__version__, "torch": torch.__version__, "python": platform.python_version(),
        "model": name, "model_sha256": sha256(os.path.join(model_dir, "model.safetensors")),
        "model_max_length": tokenizer.model_max_length, "batch_size": 64, "tokenizer": "slow (use_fast=False, the package default)",
        "pairs": [{"candidate": c, "reference": r, "candidate_ids": encoded[c], "reference_ids": encoded[r]}
                  for c, r in zip(cands, refs)],
        "configs": configs,
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"wrote {args.out}: {len(cands)} pairs, {len(configs)} settings")


if __name__ == "__main__":
    main()
