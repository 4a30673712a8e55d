#!/usr/bin/env bash
# Runs the standard hashing benchmark set and prints Markdown tables (also appended to $BENCH_OUT).
# Builds pipeline/target/model-signing.jar first if it is missing. Run from anywhere.
#
# Environment (sizes take k/m/g suffixes, in KiB/MiB/GiB):
#   BENCH_DIR=/tmp/bench         where synthetic models are generated (reused when present)
#   BENCH_SIZE=8g                one-file and shards models
#   BENCH_RSS_SIZE=16g           shards model for the peak-RSS run (0 to skip)
#   BENCH_SMALL_SIZE=2g          small-files model total size
#   BENCH_SMALL_FILES=2000       small-files model file count
#   BENCH_REPEAT=3               runs per measurement (median reported)
#   BENCH_SHAPES="one-file shards small-files"
#   BENCH_PIPELINE_ARGS=         extra pipeline options, e.g. "--targetParallelism=4"
#   BENCH_JVM_ARGS=              extra options for every child JVM
#   BENCH_OUT=bench-results.md   file the tables are appended to
#   BENCH_CLEAN=0                1: delete the generated models afterwards
# Disk: about BENCH_SIZE*2.5 + BENCH_RSS_SIZE*1.25 + BENCH_SMALL_SIZE*1.25 (models plus the
# quarter-size models of the line fit); 8g/16g/2g need ~43 GiB. RAM: the largest model must fit
# in page cache.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
JAR=pipeline/target/model-signing.jar
DIR="${BENCH_DIR:-/tmp/bench}"
SIZE="${BENCH_SIZE:-8g}"
RSS_SIZE="${BENCH_RSS_SIZE:-16g}"
SMALL_SIZE="${BENCH_SMALL_SIZE:-2g}"
SMALL_FILES="${BENCH_SMALL_FILES:-2000}"
REPEAT="${BENCH_REPEAT:-3}"
SHAPES="${BENCH_SHAPES:-one-file shards small-files}"
OUT="${BENCH_OUT:-bench-results.md}"

if [[ ! -f "$JAR" ]]; then
  echo "building $JAR" >&2
  mvn -B -q package -DskipTests -Dspotless.check.skip=true
fi

bench() {
  java -cp "$JAR" dev.modelsigning.pipeline.bench.HashBenchmark --dir="$DIR" --repeat="$REPEAT" \
    --key=pipeline/sample/keys/demo-private-key.pem --out="$OUT" \
    --pipelineArgs="${BENCH_PIPELINE_ARGS:-}" --jvmArgs="${BENCH_JVM_ARGS:-}" "$@"
}

{
  echo "## Hashing benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo
  echo "$(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB RAM, $(java -version 2>&1 | head -1)"
  echo
} >> "$OUT"

start=$(date +%s)
for shape in $SHAPES; do
  case "$shape" in
    small-files) bench --shape=small-files --size="$SMALL_SIZE" --files="$SMALL_FILES" ;;
    *) bench --shape="$shape" --size="$SIZE" ;;
  esac
done
if [[ "$RSS_SIZE" != "0" ]]; then
  # Peak RSS at 16 GiB: the pipeline only, at one size (no line fit), both commands.
  bench --shape=shards --size="$RSS_SIZE" --only=pipeline --fitSizes= --repeat=1
fi
echo "total $(( $(date +%s) - start )) s; tables appended to $OUT" >&2

if [[ "${BENCH_CLEAN:-0}" == "1" ]]; then
  rm -rf -- "$DIR"
fi
