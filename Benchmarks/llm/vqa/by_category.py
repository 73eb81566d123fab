#!/usr/bin/env python3
"""Verdicts per category of a stored eval vqa run (the LLM rows), with total and first-token p50: for a run stopped
before its report was written.  usage: by_category.py RUN_ID [STORE]"""
import json, sqlite3, sys, statistics
db = sqlite3.connect(f"file:{sys.argv[2] if len(sys.argv) > 2 else 'cohorts/demo-400/memoir.sqlite'}?mode=ro", uri=True)
rows = [json.loads(r[0]) for r in db.execute("select result from vqa_answers where run_id=? and backbone not like 'evidence%'", (sys.argv[1],))]
cats = {}
for r in rows:
    c = cats.setdefault(r['category'], {'n':0,'grounded':0,'unsupported':0,'degenerate':0,'truncated':0,'failed':0})
    c['n'] += 1
    if r.get('error'): c['failed'] += 1
    v = r.get('verdict')
    if v in c: c[v] += 1
print("| category | answered | grounded | unsupported | degenerate | truncated | failed (of which truncated) |")
print("|---|---:|---:|---:|---:|---:|---:|")
tot = {'n':0,'grounded':0,'unsupported':0,'degenerate':0,'truncated':0,'failed':0}
for k in ["diagnosis","severity","cognition","apoe","similar_cases"]:
    c = cats.get(k)
    if not c: continue
    for x in tot: tot[x] += c[x]
    print(f"| {k} | {c['n']} | {c['grounded']} | {c['unsupported']} | {c['degenerate']} | {c['truncated']} | {c['failed']} |")
print(f"| all | {tot['n']} | {tot['grounded']} | {tot['unsupported']} | {tot['degenerate']} | {tot['truncated']} | {tot['failed']} |")
lat = [r['latency_seconds'] for r in rows if r.get('latency_seconds')]
ttft = [r['ttft_seconds'] for r in rows if r.get('ttft_seconds')]
print(f"\ntotal p50 {statistics.median(lat):.1f} s, time to first token p50 {statistics.median(ttft):.1f} s, n={len(rows)}")
