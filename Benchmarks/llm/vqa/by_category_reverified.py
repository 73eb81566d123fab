#!/usr/bin/env python3
# Usage: by_category_reverified.py RESULTS.json REVERIFY.txt (memoir-bench reverify output)
# Per-category verdicts of a run re-read under the current rules: ask-time verdicts from results.json, changed by reverify's lines.
import json, sys, collections, re
results, reverify = sys.argv[1], sys.argv[2]
r = json.load(open(results))
now = {}
for a in r['questions']:
    if a['backbone'].startswith('evidence'): continue
    now[a['qa_id']] = (a['category'], a['verdict'] if not a.get('failed') else 'failed')
for line in open(reverify):
    m = re.match(r'^(\S+/\S+): (\w+) → (\w+):', line)
    if m and m.group(1) in now: now[m.group(1)] = (now[m.group(1)][0], m.group(3))
cats = collections.defaultdict(collections.Counter)
for cat, v in now.values(): cats[cat][v] += 1; cats['all'][v] += 1
keys = ['grounded', 'unsupported', 'degenerate', 'truncated', 'failed']
print('| category | answers | ' + ' | '.join(keys) + ' |'); print('|---|---:|' + '---:|' * len(keys))
for c in ['diagnosis', 'severity', 'cognition', 'apoe', 'similar_cases', 'all']:
    if c in cats: print(f'| {c} | {sum(cats[c].values())} | ' + ' | '.join(str(cats[c][k]) for k in keys) + ' |')
