#!/usr/bin/env bash
# The registry benchmark of issue #13: `model-signing verify-registry` over registries of 1,000
# and 10,000 small signed models (generated once under BENCH_DIR, signed with the core library),
# one process per run through pipeline/bin/model-signing. Prints one Markdown table: median wall
# time, time per 1,000 models, median peak RSS, and whether RSS stays under 1 GiB and time grows
# linearly. Builds the jars first if they are missing. Run from anywhere.
#
# Disk: ~40 KiB per model (10,000 models: ~400 MiB of small files). Full run on 2 cores: a few
# minutes to generate, then one verify-registry per size.
#
# Environment:
#   BENCH_DIR=/tmp/model-signing-bench   cache of generated registries
#   BENCH_REGISTRY_COUNTS=1000,10000     registry sizes
#   BENCH_REPEAT=1                       timed runs per size (median reported)
#   BENCH_CLI_ARGS=                      extra options for verify-registry
#   BENCH_OUT=bench-results.md           the report is appended here too (repository root)
# Arguments are passed on after these (they win): `run-registry-benchmark.sh --help`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
JAR=pipeline/target/model-signing.jar
BENCH_JAR=pipeline/bench/target/benchmarks.jar
if [[ ! -f "$JAR" || ! -f "$BENCH_JAR" ]]; then
  echo "building $JAR and $BENCH_JAR" >&2
  mvn -B -q package -DskipTests -Dspotless.check.skip=true
fi

exec java -cp "$BENCH_JAR" dev.modelsigning.bench.RegistryBenchmark \
  "--dir=${BENCH_DIR:-/tmp/model-signing-bench}" \
  "--counts=${BENCH_REGISTRY_COUNTS:-1000,10000}" \
  "--repeat=${BENCH_REPEAT:-1}" \
  "--cli=pipeline/bin/model-signing" \
  "--cliArgs=${BENCH_CLI_ARGS:-}" \
  "--out=${BENCH_OUT:-bench-results.md}" \
  "$@"
