#!/usr/bin/env python3
"""Exports the answers an `eval vqa` run kept, with exactly the evidence each model saw, as a verifier fixture:
one JSON object per line (qa_id, question, evidence, context_ids, answer, findings, diagnosis, verdict_then,
rules_then, label). `label` is a person's reading of the answer against its evidence: "correct", or the first
error found; `AuditedAnswerTests` re-verifies every line with the current rules.

usage: export.py STORE RUN_ID LABELS.json > audited.jsonl
LABELS.json maps qa_id to a label; only answers with a label are exported. LABELS.json "-" exports every kept
answer with label null (for `memoir-bench reverify`, which re-verifies a stored run under the current rules).
"""
import json
import sqlite3
import sys

db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
labels = None if sys.argv[3] == "-" else json.load(open(sys.argv[3]))
settings = dict((s["name"], s["value"]) for s in json.loads(db.execute("select settings from vqa_runs where id=?", (sys.argv[2],)).fetchone()[0]))
rows = db.execute("""select v.qa_id, a.question, a.evidence, a.context_ids, a.answer, a.findings, a.diagnosis, a.verdict, v.result
    from vqa_answers v join asks a on a.id = v.ask_id where v.run_id = ? and v.backbone not like 'evidence%' order by v.rowid""",
                  (sys.argv[2],)).fetchall()
for qa, question, evidence, context, answer, findings, diagnosis, verdict, result in rows:
    result = json.loads(result)
    if labels is not None and qa not in labels:
        continue
    print(json.dumps({"qa_id": qa, "question": question, "evidence": json.loads(evidence), "context_ids": json.loads(context),
                      "answer": answer, "findings": json.loads(findings or "[]"), "diagnosis": diagnosis,
                      "verdict_then": verdict, "rules_then": settings["scoring"], "model": settings["backbones"],
                      "expected_diagnosis": result.get("expected_diagnosis"), "text_diagnosis_then": result.get("text_diagnosis"),
                      "label": labels[qa] if labels is not None else None}, ensure_ascii=False))
