"""Replays captured chat requests against the running llama.cpp server (Scripts/llm.sh), with extra
request fields (argv[1], JSON) and optionally prompt v3's sentence-bounded schema (argv[4] == "v3"), and counts
replies cut at the budget. Requests come from capture.py (memoir ask --llm http://127.0.0.1:PORT).

    python3 replay.py '{}' base REQUEST_DIR
    python3 replay.py '{"frequency_penalty":0.3,"max_tokens":600}' v3-penalty REQUEST_DIR v3
"""
import json, os, sys, glob, urllib.request, concurrent.futures, time
state = os.path.join(os.environ.get('MEMOIR_HOME', os.path.expanduser('~/.cache/memoir')), 'llm')
url = open(os.path.join(state, 'server.url')).read().strip()
key = open(os.path.join(state, 'server.key')).read().strip()
variant = json.loads(sys.argv[1]); tag = sys.argv[2]; folder = sys.argv[3]; bounded = len(sys.argv) > 4 and sys.argv[4] == 'v3'
C = r'[^."\\\n]'
S = r'(' + C + r'|\.[0-9a-z]|\. [a-z0-9(])+\.'
ANSWER = '^' + S + '( ' + S + '){0,2}$'
FINDING = '^' + S + '$'
def run(path):
    b = json.load(open(path)); b['stream'] = False; b.pop('stream_options', None); b.update(variant)
    if bounded:
        sch = b['response_format']['json_schema']['schema']['properties']
        sch['findings']['maxItems'] = 3; sch['answer'] = {"type": "string", "pattern": ANSWER}
        sch['findings']['items']['properties']['finding'] = {"type": "string", "pattern": FINDING}
    req = urllib.request.Request(url + '/v1/chat/completions', data=json.dumps(b).encode(), headers={'Content-Type':'application/json','Authorization':'Bearer '+key})
    t=time.time()
    try: r = json.load(urllib.request.urlopen(req, timeout=600))
    except urllib.error.HTTPError as e: return dict(path=path, err=e.read().decode()[:500])
    c = r['choices'][0]; txt = c['message']['content']
    ans = None
    try: o = json.loads(txt); ans = o.get('answer'); dx=o.get('diagnosis')
    except Exception: dx=None
    return dict(path=path, finish=c['finish_reason'], tokens=r['usage']['completion_tokens'], ok=ans is not None, dx=dx, answer=ans, raw=txt, s=time.time()-t)
paths = sorted(glob.glob(folder + '/*.json'))
with concurrent.futures.ThreadPoolExecutor(2) as ex: res = list(ex.map(run, paths))
json.dump(res, open(f'{folder}/../replies-{tag}.json','w'), indent=1)
errs=[r for r in res if 'err' in r]
if errs: print('errors', errs[:2])
res=[r for r in res if 'err' not in r]
print(tag, 'length:', sum(r['finish']=='length' for r in res), 'parsed:', sum(r['ok'] for r in res), 'mean tokens', sum(r['tokens'] for r in res)/max(1,len(res)), 'time', sum(r['s'] for r in res))
