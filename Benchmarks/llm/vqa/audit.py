#!/usr/bin/env python3
"""Audits an `eval vqa` run from the store, independently of Memoir's own report: for every LLM answer,
its logged status against its verdict (only grounded answers may be logged `answered`), every subject id
in the answer text, findings and citations against the five the model was given, and the diagnosis the
answer's text states against the evidence-only row's on the same questions.

usage: audit.py STORE RUN_ID [RUN_ID ...]   (writes a markdown table to stdout)
"""
import json
import re
import sqlite3
import sys
from collections import Counter

ID = re.compile(r"\b\d{3}_S_\d{4,}\b")


def audit(db, run):
    rows = db.execute(
        "select v.qa_id, v.backbone, v.result, a.status, a.verdict, a.context_ids, a.answer, a.findings, a.cited_ids "
        "from vqa_answers v left join asks a on a.id = v.ask_id where v.run_id = ?", (run,)).fetchall()
    out = {}
    for qa, backbone, result, status, verdict, context, answer, findings, cited in rows:
        r = json.loads(result)
        b = out.setdefault(backbone, Counter())
        b["answers"] += 1
        b["verdict " + str(r.get("verdict"))] += 1
        if backbone.startswith("evidence"):
            if r.get("category") == "diagnosis":
                b["diagnosis questions"] += 1
                b["diagnosis right"] += r.get("text_diagnosis") == r.get("expected_diagnosis")
            continue
        if status == "answered" and verdict != "grounded":
            b["logged answered but not grounded"] += 1
        if verdict == "grounded":
            given = set(json.loads(context or "[]"))
            text = (answer or "") + " " + " ".join(f.get("finding", "") + " " + f.get("source", "") for f in json.loads(findings or "[]"))
            named = set(ID.findall(text)) | set(json.loads(cited or "[]"))
            b["grounded answers with an id outside the five"] += bool(named - given)
        if r.get("category") == "diagnosis":
            b["diagnosis questions"] += 1
            b["diagnosis right"] += r.get("text_diagnosis") == r.get("expected_diagnosis")
    return out


def paired(db, run):
    """Diagnosis questions the LLM answered, scored for the LLM's text and the evidence-only row's on the same set."""
    rows = db.execute("select qa_id, backbone, result from vqa_answers where run_id = ?", (run,)).fetchall()
    by = {}
    for qa, backbone, result in rows:
        r = json.loads(result)
        if r.get("category") == "diagnosis":
            by.setdefault(qa, {})["evidence" if backbone.startswith("evidence") else "llm"] = r
    both = [v for v in by.values() if "llm" in v and "evidence" in v]
    right = lambda r: r.get("text_diagnosis") is not None and r.get("text_diagnosis") == r.get("expected_diagnosis")
    return len(both), sum(right(v["llm"]) for v in both), sum(right(v["evidence"]) for v in both)


def main():
    db = sqlite3.connect(sys.argv[1])
    for run in sys.argv[2:]:
        for backbone, c in audit(db, run).items():
            print(f"run {run}, {backbone}: " + ", ".join(f"{k} {v}" for k, v in sorted(c.items())))
        n, llm, evidence = paired(db, run)
        print(f"run {run}, paired diagnosis questions {n}: LLM text right {llm}, evidence-only right {evidence}")


if __name__ == "__main__":
    main()
