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
#   BENCH_QUIET_LOAD=1.0         wait until the 1-minute load average is below this before each
#   BENCH_QUIET_MAX=1200         shape (at most this many seconds; then run anyway and say so)
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

BENCH_JAR=pipeline/bench/target/benchmarks.jar
if [[ ! -f "$JAR" || ! -f "$BENCH_JAR" ]]; then
  echo "building $JAR and $BENCH_JAR" >&2
  mvn -B -q package -DskipTests -Dspotless.check.skip=true
fi

# Other work on the machine skews every number: wait (bounded) for a quiet 1-minute load average.
wait_quiet() {
  local limit="${BENCH_QUIET_LOAD:-1.0}" max="${BENCH_QUIET_MAX:-1200}" waited=0 load
  while :; do
    load=$(cut -d' ' -f1 /proc/loadavg)
    if awk -v l="$load" -v m="$limit" 'BEGIN{exit !(l < m)}'; then
      return 0
    fi
    if (( waited >= max )); then
      echo "load average still $load after ${waited} s: measuring anyway" >&2
      echo "Note: measured with 1-minute load average $load (did not drop below $limit within ${max} s)." >> "$OUT"
      return 0
    fi
    sleep 15
    waited=$((waited + 15))
  done
}

bench() {
  wait_quiet
  java -cp "$BENCH_JAR" dev.modelsigning.bench.HashBenchmark --dir="$DIR" --repeat="$REPEAT" \
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
