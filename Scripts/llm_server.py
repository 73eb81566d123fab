"""Runs llama.cpp's OpenAI-compatible server (xllamacpp) for Memoir; driven by Scripts/llm.sh.

  llm_server.py serve --model GGUF --url-file F --pid-file F --api-key-file F [--host 127.0.0.1]
                      [--port 0] [--ctx 4096] [--threads N] [--parallel 1]
      Loads the model, starts the HTTP server and blocks until SIGTERM. Requests other than GET
      /health must carry `Authorization: Bearer KEY`, KEY being the contents of --api-key-file
      (required unless --host is loopback). --ctx is per slot. No CORS origin is allowed.
  llm_server.py wait --url-file F --pid PID [--timeout 120]
      Waits until the server behind F answers GET /health with ok; prints its base URL.

Only the standard library and xllamacpp are used, so the venv needs nothing else.
"""
import argparse
import ipaddress
import json
import os
import signal
import sys
import time
import urllib.error
import urllib.request


def serve(args):
    # Drop descriptors inherited past stdio: a parent that watches a pipe or socket for its
    # child's exit (Foundation's Process does) would otherwise wait for this daemon too.
    for fd in [int(name) for name in os.listdir("/proc/self/fd") if int(name) > 2]:
        try:
            os.close(fd)
        except OSError:
            pass  # the listdir handle itself, already gone
    # Written first so `llm.sh stop` can find us even while the model is still loading.
    write_atomically(args.pid_file, f"{os.getpid()}\n")
    api_key = read(args.api_key_file) if args.api_key_file else ""
    if not api_key and not is_loopback(args.host):
        print(f"[llm_server] refusing to listen on {args.host} without an API key", file=sys.stderr, flush=True)
        return 2
    if not 1 <= args.ubatch <= 8192 or args.ubatch > args.ctx:
        print(f"[llm_server] --ubatch must lie in 1…min(8192, --ctx), got {args.ubatch}", file=sys.stderr, flush=True)
        return 2
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = args.model
    params.hostnames = [args.host]
    params.port = args.port  # 0: the server binds a free port and reports it
    # llama.cpp splits n_ctx across the slots; give each slot the whole --ctx.
    params.n_ctx = args.ctx * args.parallel
    params.n_parallel = args.parallel
    params.cont_batching = True
    params.cpuparams.n_threads = args.threads
    params.cpuparams_batch.n_threads = args.threads
    # Tokens evaluated per forward pass of a prompt (llama.cpp's defaults: 2048 logical, 512 physical);
    # Benchmarks/llm/batch.py measures the prompt rate across physical batch sizes.
    params.n_batch = max(args.ubatch, 2048)
    params.n_ubatch = args.ubatch
    if api_key:
        params.api_keys = [api_key]
    # Memoir's clients are not browsers: grant no origin. llama.cpp's defaults (origins "*", not
    # explicit, credentials on) echo any localhost Origin with Access-Control-Allow-Credentials.
    params.cors_origins = ""
    params.cors_origins_explicit = True
    params.cors_credentials = False
    print(f"[llm_server] xllamacpp {xllamacpp.__version__}, model {args.model}, {args.threads} threads, "
          f"{args.parallel} slot(s) of {args.ctx} tokens, batches of {args.ubatch}, API key {'required' if api_key else 'off'}", flush=True)
    server = xllamacpp.Server(params)  # returns once the model is loaded and the socket listens
    url = server.listening_address.rstrip("/")
    # Bound to every interface: clients on this machine reach it on loopback.
    url = url.replace("://0.0.0.0:", "://127.0.0.1:").replace("://[::]:", "://[::1]:")
    write_atomically(args.url_file, url + "\n")
    print(f"[llm_server] listening on {url}", flush=True)

    # The server lives on native threads; exiting hard on SIGTERM avoids waiting on them.
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    signal.signal(signal.SIGINT, lambda *_: os._exit(0))
    while server is not None:  # keeps the reference (and so the server) alive
        time.sleep(3600)


def wait(args):
    deadline = time.monotonic() + args.timeout
    last = "no URL file yet (model still loading?)"
    while time.monotonic() < deadline:
        if not alive(args.pid):
            print(f"server process {args.pid} exited before it became healthy ({last})", file=sys.stderr)
            return 1
        url = read(args.url_file)
        if url:
            try:
                with urllib.request.urlopen(url + "/health", timeout=5) as response:
                    body = response.read().decode("utf-8", "replace")
                if json.loads(body).get("status") == "ok":
                    print(url)
                    return 0
                last = f"GET {url}/health answered {body[:200]!r}"
            except urllib.error.HTTPError as error:  # 503 while loading
                last = f"GET {url}/health answered HTTP {error.code}"
            except (OSError, ValueError) as error:
                last = f"GET {url}/health failed: {error}"
        time.sleep(0.25)
    print(f"server not healthy after {args.timeout:g} s: {last}", file=sys.stderr)
    return 1


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited, not yet reaped) still answers kill(0).
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


def is_loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: may resolve anywhere


def read(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except FileNotFoundError:
        return ""


def write_atomically(path, text):
    tmp = f"{path}.tmp.{os.getpid()}"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve")
    s.add_argument("--model", required=True)
    s.add_argument("--url-file", required=True)
    s.add_argument("--pid-file", required=True)
    s.add_argument("--api-key-file")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=0)
    s.add_argument("--ctx", type=int, default=4096)
    s.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    s.add_argument("--parallel", type=int, default=1)
    s.add_argument("--ubatch", type=int, default=512)
    w = sub.add_parser("wait")
    w.add_argument("--url-file", required=True)
    w.add_argument("--pid", type=int, required=True)
    w.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args()
    return serve(args) if args.command == "serve" else wait(args)


if __name__ == "__main__":
    sys.exit(main())
