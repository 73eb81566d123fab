#!/usr/bin/env python3
"""Writes candidates.txt and references.txt: 1,000 deterministic answer/reference pairs for the
BERTScore benchmark (standard library only).

    python3 Benchmarks/bertscore/make_pairs.py

References are written like `memoir qa build` writes them (diagnosis with supporting scores,
CDR-SB stage, cognitive scores, APOE risk, comparison with similar subjects); candidates read like
an LLM's answers to the same question: other wording, sometimes other numbers or a wrong
diagnosis, some short, some long (about 10 to 160 word pieces).
"""
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
COUNT = 1000
DIAGNOSES = [("cognitively normal", "CN"), ("mild cognitive impairment", "MCI"), ("dementia", "Dementia")]
STAGES = [(0.5, "normal (no impairment)"), (3, "questionable impairment (0.5 to 2.5)"), (4.5, "very mild dementia (3 to 4)"),
          (9.5, "mild dementia (4.5 to 9)"), (16, "moderate dementia (9.5 to 15.5)"), (99, "severe dementia (16 to 18)")]
OPENERS = ["", "Based on the retrieved cases, ", "Considering the available scores, ", "From the clinical information, ",
           "Looking at the similar subjects, "]
HEDGES = ["", " This is consistent with the retrieved cases.", " The similar subjects support this.",
          " Further assessment with amyloid PET or CSF biomarkers would help confirm it.",
          " However, imaging was not available for every similar case, so some uncertainty remains."]


def fmt(v):
    return str(int(v)) if v == int(v) else f"{v:.2f}".rstrip("0")


def case(rng):
    d = rng.randrange(3)
    mmse = [rng.randint(27, 30), rng.randint(23, 29), rng.randint(12, 25)][d]
    cdrsb = [rng.choice([0, 0, 0.5]), rng.choice([0.5, 1, 1.5, 2, 2.5, 3]), rng.choice([3.5, 4.5, 5, 6, 7.5, 9, 11, 14])][d]
    moca = max(0, mmse - rng.randint(2, 6))
    adas13 = round([rng.uniform(4, 14), rng.uniform(12, 26), rng.uniform(24, 50)][d], 2)
    e4 = rng.choice([0, 0, 1, 1, 2]) if d else rng.choice([0, 0, 0, 1])
    return dict(d=d, mmse=mmse, cdrsb=cdrsb, moca=moca, adas13=adas13, e4=e4, age=rng.randint(58, 91))


def stage(cdrsb):
    return next(text for limit, text in STAGES if cdrsb < limit)


def reference(c, kind, rng):
    name, short = DIAGNOSES[c["d"]]
    scores = f"MMSE is {c['mmse']} of 30. CDR-SB is {fmt(c['cdrsb'])} of 18. MoCA is {c['moca']} of 30. ADAS-Cog 13 is {fmt(c['adas13'])} of 85."
    if kind == 0:
        return f"The most likely diagnosis is {name} ({short}). {scores}"
    if kind == 1:
        return f"CDR-SB is {fmt(c['cdrsb'])} of 18, which indicates {stage(c['cdrsb'])}."
    if kind == 2:
        return scores
    if kind == 3:
        count = ["no APOE ε4 allele", "one APOE ε4 allele", "two APOE ε4 alleles"][c["e4"]]
        risk = ["no ε4-related increase in the risk of Alzheimer's disease",
                "an increased genetic risk of Alzheimer's disease (about three times that of ε3/ε3)",
                "a strongly increased genetic risk of Alzheimer's disease (about eight to twelve times that of ε3/ε3)"][c["e4"]]
        genotype = ["ε3/ε3", "ε3/ε4", "ε4/ε4"][c["e4"]]
        return f"The genotype is {genotype}: carries {count}, {risk}."
    lo = max(10, c["mmse"] - rng.randint(1, 4))
    hi = min(30, c["mmse"] + rng.randint(0, 3))
    same = rng.randint(3, 5)
    return (f"Of the 5 most similar subjects, {same} have {name} and {5 - same} have {DIAGNOSES[(c['d'] + 1) % 3][0]}. "
            f"Their MMSE ranges from {lo} to {hi}; this case's {c['mmse']} is within it. "
            f"Most similar cases share this case's diagnosis, {name}.")


def candidate(c, kind, rng):
    wrong = rng.random() < 0.15
    d = (c["d"] + rng.choice([1, 2])) % 3 if wrong else c["d"]
    name, short = DIAGNOSES[d]
    mmse = c["mmse"] + (rng.choice([-2, -1, 1, 2]) if rng.random() < 0.2 else 0)
    opener = rng.choice(OPENERS)
    if rng.random() < 0.1:
        return rng.choice([f"{short}.", "I cannot tell from the information given.", f"Likely {name}."])
    if kind == 0:
        text = f"{opener}the patient most likely has {name}. The MMSE of {mmse}/30 and a CDR-SB of {fmt(c['cdrsb'])} point to this"
        if rng.random() < 0.5:
            text += f", together with a MoCA of {c['moca']} and ADAS-Cog-13 of {fmt(c['adas13'])}"
        return text + "." + rng.choice(HEDGES)
    if kind == 1:
        return f"{opener}with a CDR Sum of Boxes of {fmt(c['cdrsb'])}, the impairment is {stage(c['cdrsb']).split(' (')[0]}." + rng.choice(HEDGES)
    if kind == 2:
        return f"{opener}MMSE {mmse}/30, MoCA {c['moca']}/30, CDR-SB {fmt(c['cdrsb'])} and ADAS-Cog 13 {fmt(c['adas13'])}." + rng.choice(HEDGES)
    if kind == 3:
        alleles = ["does not carry an APOE e4 allele", "carries a single APOE e4 allele", "is homozygous for APOE e4"][c["e4"]]
        return f"{opener}the subject {alleles}" + ("." if c["e4"] == 0 else ", which raises the risk of Alzheimer's disease.") + rng.choice(HEDGES)
    text = (f"{opener}most of the similar subjects were diagnosed with {name}, and their MMSE scores were close to this "
            f"patient's {mmse}. ")
    if rng.random() < 0.5:
        text += ("The retrieved cases also had comparable CDR-SB values and similar hippocampal measures on T1 MRI, "
                 "while DTI was available for only some of them. Taken together, the neighbours support the working diagnosis, "
                 "although the final judgement should rest on a full clinical assessment including history from an informant.")
    return text + rng.choice(HEDGES)


def main():
    rng = random.Random(20261123)
    cands, refs = [], []
    for i in range(COUNT):
        c, kind = case(rng), i % 5
        refs.append(reference(c, kind, rng))
        text = candidate(c, kind, rng)
        cands.append(text[0].upper() + text[1:])
    for name, lines in [("candidates.txt", cands), ("references.txt", refs)]:
        with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
    print(f"wrote {COUNT} pairs to {HERE}/candidates.txt and references.txt")


if __name__ == "__main__":
    main()
