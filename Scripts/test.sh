#!/usr/bin/env bash
# The test command: installs what the tests need, builds, and runs the whole suite.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash Scripts/setup.sh
# The smallest real LLM, for the end-to-end answering tests (xllamacpp + SmolLM2-135M GGUF).
bash Scripts/llm.sh install smollm2
swift build --build-tests
swift test --skip-build
