#!/usr/bin/env bash
# The regression gate as CI runs it, in three steps:
#   1. contract replay: every documented endpoint and status against the committed fixtures (no network);
#   2. a small benchmark against the local sandbox, its seed fixed, the same configuration as the baseline;
#   3. compare against the committed baseline (exit 1 on a regression: beyond threshold AND significant),
#      and write the HTML report with the baseline section.
# Environment: GATE_OUT (default reports/ci), GATE_BASELINE (default examples/ci/baseline),
# TTS_HARNESS (the command, default tts-harness), GATE_SKIP_CONTRACTS=1 to skip step 1,
# GATE_FAIL_ON (default wer,cost,success,contract). Latency is compared and reported but not gated here:
# against the sandbox it measures the CI machine (its synthesis runs on the runner's cores), not a
# provider. Against live providers, add latency: GATE_FAIL_ON=latency,wer,cost,success,contract.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
harness=${TTS_HARNESS:-tts-harness}
out=${GATE_OUT:-reports/ci}
baseline=${GATE_BASELINE:-$here/baseline}
fail_on=${GATE_FAIL_ON:-wer,cost,success,contract}
# Keep these equal to the baseline's run (see README.md here to refresh it).
models=pixelapi/voice-design,pixazo/vibevoice
corpus=en_read:8
seed=11

if [ "${GATE_SKIP_CONTRACTS:-0}" != 1 ]; then
  echo "== contract replay"
  python -m pytest contracts -q
fi

echo "== benchmark against the sandbox"
mkdir -p "$out"
$harness bench run --models "$models" --corpus "$corpus" --sandbox-profile fast --seed "$seed" \
  --out "$out" --no-report
run=$(python -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(
    "SELECT run_id FROM runs ORDER BY created_at DESC LIMIT 1").fetchone()[0])' "$out/runs.db")

echo "== report and compare: $run against $baseline"
$harness report "$run" --db "$out/runs.db" --baseline "$baseline"
$harness export "$run" --db "$out/runs.db" --format json --out "$out/$run/rows" >/dev/null
$harness compare "$baseline" "$run" --db "$out/runs.db" --fail-on "$fail_on" --junit "$out/compare.xml"
