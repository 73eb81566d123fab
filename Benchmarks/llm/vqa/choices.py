#!/usr/bin/env python3
"""Which of Memoir's answers the model chose, per question kind, in an `eval vqa` run under prompt v11 (or v10 for the
diagnosis answers): the answer is an `enum` of Memoir's sentences, so its first words say which one. An answer that
matches none of them (a question of kind `other`, an older prompt) is counted as the model's own words.

usage: choices.py STORE RUN_ID   (writes a markdown table to stdout)
"""
import json
import re
import sqlite3
import sys
from collections import Counter, defaultdict

CHOICES = [
    ("diagnosis", r"^The evidence points to \S+ because \d+ of the", "reason: the vote"),
    ("diagnosis", r"^The evidence points to \S+ because the encoder", "reason: the encoder's estimate"),
    ("diagnosis", r"^The evidence points to \S+ because Memoir's reading", "reason: Memoir's reading"),
    ("severity", r"^The case's (MMSE|MoCA) is .*\.$", "MMSE and MoCA bands"),
    ("severity", r"^Neither the case's MMSE nor its MoCA is recorded\.$", "MMSE and MoCA bands"),
    ("severity", r"^The encoder predicts a CDR-SB", "encoder's CDR-SB (a prediction)"),
    ("cognition", r"^The case's cognitive scores are .*\(", "scores with their bands"),
    ("cognition", r"^The case's cognitive scores are [^(]*$", "scores"),
    ("cognition", r"^None of the case's cognitive scores", "scores"),
    ("apoe", r"^The case's APOE genotype is", "genotype and risk"),
    ("similar_cases", r"^Of the \d+ most similar subjects, .*, and the case's MMSE", "diagnoses, ranges and the case's MMSE"),
    ("similar_cases", r"^Of the \d+ most similar subjects, ", "diagnoses and ranges"),
    ("similar_cases", r"^\d+ of the \d+ most similar subjects were recorded", "the vote"),
    ("prognosis", r"^(Judging by|Too few|The most similar subjects' courses|No follow-up|The neighbours' weighted vote)", "expectation from courses"),
]


def choice(category, answer):
    for kind, pattern, name in CHOICES:
        if kind == category and re.search(pattern, answer or ""):
            return name
    return "the model's own words"


def main():
    db = sqlite3.connect(sys.argv[1])
    rows = db.execute("select result from vqa_answers where run_id = ? and backbone not like 'evidence%'", (sys.argv[2],)).fetchall()
    table = defaultdict(Counter)
    for (result,) in rows:
        r = json.loads(result)
        table[r["category"]][(choice(r["category"], r.get("answer", "")), r.get("verdict"))] += 1
    print(f"run {sys.argv[2]}: {len(rows)} answers\n")
    print("| kind | Memoir's answer chosen | answers | of them grounded |")
    print("|---|---|---:|---:|")
    for category in sorted(table):
        by_choice = Counter()
        grounded = Counter()
        for (name, verdict), n in table[category].items():
            by_choice[name] += n
            grounded[name] += n if verdict == "grounded" else 0
        for name, n in by_choice.most_common():
            print(f"| {category} | {name} | {n} | {grounded[name]} |")


if __name__ == "__main__":
    main()
