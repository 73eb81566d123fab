#!/usr/bin/env python3
"""Writes sentences.txt: 1,000 deterministic clinical-style sentences for the embedding benchmark.

    python3 Benchmarks/text/make_sentences.py            # standard library + the model's vocab.txt
    .venv-ref/bin/python Benchmarks/text/make_sentences.py --check   # also verify token lengths

Each sentence is 8-60 WordPiece tokens ([CLS]/[SEP] included) with all-MiniLM-L6-v2's tokenizer;
lengths are spread evenly over that range so batches mix short and long inputs, as real notes do.
"""
import argparse
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
COUNT = 1000
MIN_TOKENS, MAX_TOKENS = 8, 60

SEXES = ["woman", "man"]
DIAGNOSES = [
    "cognitively normal", "subjective cognitive decline", "mild cognitive impairment",
    "amnestic mild cognitive impairment", "probable Alzheimer's disease dementia",
    "mild Alzheimer's dementia", "moderate Alzheimer's dementia", "mixed vascular and Alzheimer's dementia",
]
ATROPHY = [
    "no hippocampal atrophy", "mild bilateral hippocampal atrophy", "moderate left hippocampal atrophy",
    "severe bilateral hippocampal atrophy", "asymmetric hippocampal volume loss, left greater than right",
    "entorhinal cortex thinning", "widening of the choroidal fissures", "precuneus and posterior cingulate atrophy",
]
WHITE_MATTER = ["no white-matter hyperintensities", "mild periventricular white-matter hyperintensities (Fazekas 1)",
                "confluent deep white-matter lesions (Fazekas 3)", "scattered microbleeds in the occipital lobes"]
APOE = ["APOE e3/e3", "APOE e3/e4", "APOE e4/e4", "APOE e2/e3", "APOE e2/e4"]
COMPLAINTS = ["forgets recent conversations", "misplaces keys daily", "repeats questions",
              "gets lost in familiar places", "has word-finding pauses", "struggles with finances",
              "missed several appointments", "needs reminders for medication"]
DRUGS = ["donepezil 5 mg", "donepezil 10 mg", "rivastigmine patch 9.5 mg", "galantamine 16 mg",
         "memantine 20 mg", "lecanemab infusion", "no anti-dementia medication"]
FOLLOW_UP = ["6 months", "12 months", "18 months", "24 months", "36 months"]


def clauses(rng):
    """Sentence fragments in a clinical register; callers join a random number of them."""
    age = rng.randint(55, 92)
    return [
        f"{age}-year-old {rng.choice(SEXES)}",
        f"MMSE {rng.randint(12, 30)}/30",
        f"MoCA {rng.randint(8, 30)}/30",
        f"CDR-SB {rng.choice([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7.5, 9, 12])}",
        f"ADAS-Cog-13 {rng.randint(5, 55)}",
        f"global CDR {rng.choice(['0', '0.5', '1', '2'])}",
        rng.choice(APOE),
        f"MRI shows {rng.choice(ATROPHY)}",
        f"with {rng.choice(WHITE_MATTER)}",
        f"diagnosis: {rng.choice(DIAGNOSES)}",
        f"the family reports that the patient {rng.choice(COMPLAINTS)}",
        f"amyloid PET centiloid {rng.randint(-10, 120)}",
        f"CSF p-tau181 {rng.randint(12, 95)} pg/mL",
        f"treated with {rng.choice(DRUGS)}",
        f"follow-up at {rng.choice(FOLLOW_UP)}",
        f"education {rng.randint(6, 22)} years",
    ]


class WordPiece:
    """Exact BERT uncased tokenisation for the ASCII text generated here (lower-case, split on
    white space and ASCII punctuation, greedy longest-match pieces), from the model's vocab.txt."""

    def __init__(self, vocab_path):
        with open(vocab_path, encoding="utf-8") as f:
            self.vocab = {line.rstrip("\n") for line in f}

    def count(self, text):
        words, word = [], ""
        for ch in text.lower():
            if ch.isspace() or (ch.isascii() and not ch.isalnum()):
                if word:
                    words.append(word)
                word = ""
                if not ch.isspace():
                    words.append(ch)
            else:
                word += ch
        if word:
            words.append(word)
        n = 2  # [CLS] and [SEP]
        for w in words:
            start, pieces = 0, 0
            while start < len(w):
                end = len(w)
                while end > start and ((("##" if start else "") + w[start:end]) not in self.vocab):
                    end -= 1
                if end == start:  # no split: the whole word is one [UNK]
                    pieces = 1
                    break
                pieces += 1
                start = end
            n += pieces
        return n


def sentence(rng, target, wordpiece):
    parts = clauses(rng)
    rng.shuffle(parts)
    chosen = []
    for part in parts:
        if wordpiece.count(finish(chosen + [part])) <= target:
            chosen.append(part)
    if not chosen or wordpiece.count(finish(chosen)) < MIN_TOKENS:
        chosen.append("seen at the memory clinic")
    return finish(chosen)


def finish(parts):
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "." if text else ""


def generate(wordpiece):
    rng = random.Random(20240611)
    # Length targets spread evenly over the range, in a deterministic shuffled order.
    return [sentence(rng, rng.randint(MIN_TOKENS, MAX_TOKENS), wordpiece) for _ in range(COUNT)]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="measure lengths with the real tokenizer (needs .venv-ref)")
    parser.add_argument("--model", default=os.path.expanduser("~/.cache/memoir/models/all-MiniLM-L6-v2"))
    args = parser.parse_args()
    vocab = os.path.join(args.model, "vocab.txt")
    if not os.path.isfile(vocab):
        raise SystemExit(f"no vocab.txt in {args.model}: run Scripts/setup.sh or pass --model")
    wordpiece = WordPiece(vocab)
    lines = generate(wordpiece)
    lengths = [wordpiece.count(s) for s in lines]
    assert all(MIN_TOKENS <= n <= MAX_TOKENS for n in lengths), (min(lengths), max(lengths))
    path = os.path.join(HERE, "sentences.txt")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {path}: {len(lines)} sentences, {min(lengths)}-{max(lengths)} tokens (mean {sum(lengths) / len(lengths):.1f})")
    if args.check:
        from transformers import BertTokenizerFast

        tok = BertTokenizerFast.from_pretrained(args.model)
        lengths = [len(tok(s)["input_ids"]) for s in lines]
        print(f"tokens per sentence: min {min(lengths)}, mean {sum(lengths) / len(lengths):.1f}, max {max(lengths)}")
        assert lengths == [wordpiece.count(s) for s in lines], "the stdlib WordPiece count disagrees with the tokenizer"
        bad = [(n, s) for n, s in zip(lengths, lines) if not MIN_TOKENS <= n <= MAX_TOKENS]
        assert not bad, f"{len(bad)} sentences outside {MIN_TOKENS}-{MAX_TOKENS} tokens, e.g. {bad[:3]}"


if __name__ == "__main__":
    main()
