#!/usr/bin/env python3
"""Bounded loopback load test for `memoir serve` (standard library only).

N concurrent clients (threads) mix retrieval, slices and asks against a running server for a fixed time,
then the script checks the ask log: every ask the server accepted is logged exactly once (the ask ids the
answers returned are each in the log once, and the log gained exactly as many rows as asks were accepted). It writes p50/p99
latency per route to a Markdown file. Only loopback URLs are accepted; every loop stops by the deadline.

    python3 Benchmarks/serve/serve_load.py --url http://127.0.0.1:8765 --clients 20 --seconds 120 \
        --out Benchmarks/results/serve-load.md

Mix per request: 45% slice PNG, 30% retrieval (POST /api/retrieve by case), 10% case neighbours,
10% case list/detail, 5% ask (non-streamed and streamed alternately). A 503 from /api/ask (the LLM queue is
full, with Retry-After) is a documented refusal, and a 502/504 from /api/ask (the model's reply was unusable,
or the LLM timed out; the ask is still logged) a documented LLM failure, each counted apart; any other
non-2xx, or a transport error, is a failure.
"""
import argparse, http.client, json, os, random, statistics, sys, threading, time, urllib.parse

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="http://127.0.0.1:8765")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--token", default=os.environ.get("MEMOIR_SERVE_TOKEN"))
    ap.add_argument("--out", default="Benchmarks/results/serve-load.md")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    parsed = urllib.parse.urlparse(args.url)
    if parsed.hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("refusing a non-loopback target: " + args.url)
    host, port = parsed.hostname, parsed.port or 80
    headers = {"Authorization": "Bearer " + args.token} if args.token else {}

    def call(method, path, body=None, timeout=300):
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
        h = dict(headers)
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        start = time.perf_counter()
        conn.request(method, path, body=data, headers=h)
        resp = conn.getresponse()
        payload = resp.read()
        elapsed = time.perf_counter() - start
        conn.close()
        return resp.status, payload, elapsed, resp.getheader("Retry-After")

    status, payload, _, _ = call("GET", "/api/cases?limit=1000")
    if status != 200:
        sys.exit("cannot list cases: %d %s" % (status, payload[:200]))
    cases = json.loads(payload)["cases"]
    test_ids = [c["id"] for c in cases if c["split"] == "test"] or [c["id"] for c in cases]
    with_t1 = [c["id"] for c in cases if c["t1"]]
    with_fa = [c["id"] for c in cases if c["fa"]]
    _, payload, _, _ = call("GET", "/api/asks?limit=1")
    before = json.loads(payload)
    asks_before = before["total"]
    last_id_before = max([a["id"] for a in before["asks"] if a.get("id") is not None] or [0])

    lock = threading.Lock()
    latencies, failures, refused, llm_failed = {}, [], {"count": 0}, {"count": 0}
    accepted_asks = {"count": 0, "ids": []}
    deadline = time.monotonic() + args.seconds

    def record(route, status, elapsed, payload, retry_after):
        with lock:
            if 200 <= status < 300:
                latencies.setdefault(route, []).append(elapsed)
            elif route.startswith("POST /api/ask") and status == 503 and retry_after:
                refused["count"] += 1
            elif route.startswith("POST /api/ask") and status in (502, 504):
                llm_failed["count"] += 1
            else:
                failures.append("%s -> %d %s" % (route, status, payload[:160]))

    def returned_ask_id(payload, stream):
        """The ask id an answer names (the JSON body, or the stream's result event); None for an error event."""
        try:
            if not stream:
                return json.loads(payload).get("ask_id")
            for block in payload.decode("utf-8", "replace").split("\n\n"):
                lines = block.split("\n")
                if lines and lines[0] == "event: result":
                    data = "".join(l[6:] for l in lines[1:] if l.startswith("data: "))
                    return json.loads(data).get("ask_id")
        except ValueError:
            return None
        return None

    def client(n):
        rng = random.Random(args.seed * 1000 + n)
        asked = 0
        while time.monotonic() < deadline:
            r = rng.random()
            route = "?"
            try:
                if r < 0.45 and with_t1:
                    modality = "fa" if (with_fa and rng.random() < 0.4) else "t1"
                    case = rng.choice(with_fa if modality == "fa" else with_t1)
                    plane = rng.choice(["axial", "coronal", "sagittal"])
                    count = {"axial": 91, "coronal": 109, "sagittal": 91}[plane]
                    route = "GET /api/cases/{id}/volumes/{modality}/{plane}"
                    s, p, e, ra = call("GET", "/api/cases/%s/volumes/%s/%s?index=%d" % (case, modality, plane, rng.randrange(20, count - 20)))
                elif r < 0.75:
                    route = "POST /api/retrieve"
                    s, p, e, ra = call("POST", "/api/retrieve", {"case_id": rng.choice(test_ids), "k": 10})
                elif r < 0.85:
                    route = "GET /api/cases/{id}/neighbours"
                    s, p, e, ra = call("GET", "/api/cases/%s/neighbours" % rng.choice(test_ids))
                elif r < 0.95:
                    if rng.random() < 0.5:
                        route = "GET /api/cases"
                        s, p, e, ra = call("GET", "/api/cases?diagnosis=MCI&limit=50")
                    else:
                        route = "GET /api/cases/{id}"
                        s, p, e, ra = call("GET", "/api/cases/" + rng.choice(test_ids))
                else:
                    stream = asked % 2 == 1
                    asked += 1
                    route = "POST /api/ask" + (" (stream)" if stream else "")
                    s, p, e, ra = call("POST", "/api/ask", {"case_id": rng.choice(test_ids), "stream": stream,
                                                             "question": "What is the most likely diagnosis, and why?"})
                    if s in (200, 502, 504):  # reached the pipeline, which logs it (answered or failed)
                        ask_id = returned_ask_id(p, stream) if s == 200 else None
                        with lock:
                            accepted_asks["count"] += 1
                            if ask_id is not None:
                                accepted_asks["ids"].append(ask_id)
                        if stream and b"event: result" not in p and b"event: error" not in p:
                            s, p = 599, b"stream ended without a result or error event"
                record(route, s, e, p, ra)
                if s == 503 and ra:
                    time.sleep(min(float(ra), max(0.0, deadline - time.monotonic())))
            except Exception as error:  # a lost request: transport error or timeout
                with lock:
                    failures.append("%s -> %s" % (route, error))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
    started = time.monotonic()
    for t in threads: t.start()
    for t in threads: t.join()
    wall = time.monotonic() - started

    # Asks admitted before the deadline may still be at the LLM: wait for the queue to drain (bounded).
    drain_deadline = time.monotonic() + 300
    while time.monotonic() < drain_deadline:
        _, payload, _, _ = call("GET", "/health")
        if json.loads(payload)["ask_queue_depth"] == 0:
            break
        time.sleep(1)
    _, payload, _, _ = call("GET", "/api/asks?limit=1000")
    log = json.loads(payload)
    logged = log["total"] - asks_before
    new_ids = [a["id"] for a in log["asks"] if a.get("id") is not None and a["id"] > last_id_before]
    returned = accepted_asks["ids"]
    once = (len(set(returned)) == len(returned) and set(returned) <= set(new_ids) and len(set(new_ids)) == len(new_ids)
            and logged == accepted_asks["count"])
    _, metrics, _, _ = call("GET", "/metrics")

    def pct(values, q):
        values = sorted(values)
        return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]

    lines = ["# `memoir serve` loopback load test", "",
             "%d clients for %.0f s against %s (`Benchmarks/serve/serve_load.py`); %s." % (
                 args.clients, wall, args.url, time.strftime("%Y-%m-%d")), "",
             "| route | ok | p50 ms | p99 ms | max ms |", "|---|---:|---:|---:|---:|"]
    total_ok = 0
    for route in sorted(latencies):
        v = latencies[route]
        total_ok += len(v)
        lines.append("| %s | %d | %.1f | %.1f | %.1f |" % (route, len(v), 1000 * pct(v, 0.5), 1000 * pct(v, 0.99), 1000 * max(v)))
    lines += ["", "- successful requests: %d (%.1f/s)" % (total_ok, total_ok / wall),
              "- asks refused with 503 + Retry-After (queue full, documented): %d" % refused["count"],
              "- asks answered 502/504 because the model's reply was unusable or the LLM timed out (documented, logged): %d" % llm_failed["count"],
              "- asks that reached the LLM (200, or 502/504 when it failed): %d; new rows in the ask log: %d; "
              "ask ids returned by answers: %d, each found once among the new rows: %s" % (
                  accepted_asks["count"], logged, len(returned), "yes" if once else "NO (MISMATCH)"),
              "- failed or lost requests: %d" % len(failures)]
    lines += ["  - " + f for f in failures[:20]]
    text = "\n".join(lines) + "\n"
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out, "w") as f:
        f.write(text)
    print(text)
    sys.exit(0 if not failures and once else 1)

if __name__ == "__main__":
    main()
