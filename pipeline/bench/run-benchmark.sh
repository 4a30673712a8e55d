#!/usr/bin/env bash
# The benchmark of issue #13: four model shapes, each hashed in one session by
#   cli            pipeline/bin/model-signing digest --model=M [--method=shards --shardSize=8]
#   direct         the same with --runner=DirectRunner
#   model_signing  model_signing's own hashing code on the same bytes (pipeline/bench/
#                  model_signing_digest.py, loaded from a source checkout you give; never
#                  downloaded by this script or the build)
#   sha256sum      coreutils, one process per core (reference)
#   raw            JDK MessageDigest on in-memory bytes, one thread per core (big shape only;
#                  the basis of the DirectRunner's rate target)
# interleaved (one untimed warm-up round, then A B C A B C ...), and prints one Markdown table:
# median wall time, min-max, median peak RSS, ratio to model_signing, target, met/missed, plus
# machine facts and the load average before each shape. The subject digests of cli, direct and
# model_signing must agree on every run; a mismatch stops the benchmark with exit status 3.
# Builds the jars first if they are missing. Run from anywhere.
#
# Shapes (issue #13):  big    8 files of 1 GiB                     8 GiB on disk
#                      small  20,000 files of 4 KiB                ~80 MiB
#                      shards one 2,097,152-byte file, --shardSize=8 (262,144 shards)
#                      tiny   one 6-byte file
# Disk: ~8.1 GiB under BENCH_DIR (printed before generating; generated once, then reused).
# RAM: the big model must fit in page cache. cli runs the default engine for local models, the
# in-process engine (LocalEngine). The DirectRunner needs ~1-2 min for 2,048 shards of 8 bytes,
# so its 262,144-shard runs are killed by BENCH_TIMEOUT.
#
# Environment:
#   MODEL_SIGNING_SRC=           model-transparency checkout, e.g. made with
#                                  git --git-dir=<mirror> archive v1.1.1 | tar -x -C /tmp/mt
#                                unset: the model_signing column (and the ratios) are skipped
#   BENCH_DIR=/tmp/model-signing-bench   cache of generated models
#   BENCH_SHAPES=tiny,shards,small,big   which shapes, in this order (tiny first: its
#                                DirectRunner time is the start-up subtracted for the big rate)
#   BENCH_SCALE=1                divide the default sizes, e.g. 16 for a quick run
#                                (8 x 64 MiB, 1,250 small files, a 128 KiB shards model)
#   BENCH_BIG=8x1g  BENCH_SMALL=20000x4k  BENCH_SHARDS=2097152  BENCH_SHARD_SIZE=8  BENCH_TINY=6
#                                explicit sizes (k/m/g = KiB/MiB/GiB); they override BENCH_SCALE
#   BENCH_REPEAT=3               timed rounds per shape (median reported)
#   BENCH_WARMUP=1               untimed rounds per shape first
#   BENCH_ENGINES=cli,direct,model_signing,sha256sum,raw
#   BENCH_CLI_ARGS=              extra options for cli and direct, e.g. "--targetParallelism=4"
#   MODEL_SIGNING_JAVA_OPTS=     passed through to the launcher (replaces its -XX:+UseSerialGC)
#   BENCH_OUT=bench-results.md   the report is appended here too (repository root)
#   BENCH_QUIET_LOAD=0           >0: before each shape wait until the 1-minute load average is
#   BENCH_QUIET_MAX=600            below this, at most BENCH_QUIET_MAX seconds
#   BENCH_CLEAN=0                1: delete the generated models afterwards
#   BENCH_TIMEOUT=600            seconds per process; a run killed by it counts as "> timeout"
#                                (missed) and that engine skips the rest of the shape
#   BENCH_SLOW_RUN=120           an engine whose warm-up run takes longer is measured by that run
#                                only (e.g. the DirectRunner on 20,000 small files)
# Arguments are passed on to HashBenchmark after these (its options win): `run-benchmark.sh
# --help` lists them, e.g. `run-benchmark.sh --shapes=tiny --repeat=5`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
JAR=pipeline/target/model-signing.jar
BENCH_JAR=pipeline/bench/target/benchmarks.jar
if [[ ! -f "$JAR" || ! -f "$BENCH_JAR" ]]; then
  echo "building $JAR and $BENCH_JAR" >&2
  mvn -B -q package -DskipTests -Dspotless.check.skip=true
fi

args=(
  "--dir=${BENCH_DIR:-/tmp/model-signing-bench}"
  "--shapes=${BENCH_SHAPES:-tiny,shards,small,big}"
  "--scale=${BENCH_SCALE:-1}"
  "--shardSize=${BENCH_SHARD_SIZE:-8}"
  "--tiny=${BENCH_TINY:-6}"
  "--repeat=${BENCH_REPEAT:-3}"
  "--warmup=${BENCH_WARMUP:-1}"
  "--engines=${BENCH_ENGINES:-cli,direct,model_signing,sha256sum,raw}"
  "--cli=pipeline/bin/model-signing"
  "--cliArgs=${BENCH_CLI_ARGS:-}"
  "--modelSigningSrc=${MODEL_SIGNING_SRC:-}"
  "--driver=pipeline/bench/model_signing_digest.py"
  "--out=${BENCH_OUT:-bench-results.md}"
  "--quietLoad=${BENCH_QUIET_LOAD:-0}"
  "--quietMax=${BENCH_QUIET_MAX:-600}"
  "--timeout=${BENCH_TIMEOUT:-600}"
  "--slowRun=${BENCH_SLOW_RUN:-120}"
)
[[ -n "${BENCH_BIG:-}" ]] && args+=("--big=$BENCH_BIG")
[[ -n "${BENCH_SMALL:-}" ]] && args+=("--small=$BENCH_SMALL")
[[ -n "${BENCH_SHARDS:-}" ]] && args+=("--shards=$BENCH_SHARDS")
[[ "${BENCH_CLEAN:-0}" == "1" ]] && args+=("--clean")

exec java -cp "$BENCH_JAR" dev.modelsigning.bench.HashBenchmark "${args[@]}" "$@"
