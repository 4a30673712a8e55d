#!/usr/bin/env bash
# Hashing benchmark: kernel vs raw MessageDigest vs sha256sum vs the end-to-end pipeline
# (DirectRunner), with the pipeline's fixed start-up separated from its per-byte slope, and the
# peak RSS of every JVM run. Prints a Markdown table. Sizes in MiB, configurable:
#   BENCH_DIR=/tmp/model-bench SMALL_MB=64 LARGE_MB=8192 FILES=2000 bash pipeline/bench/run-benchmark.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR=pipeline/target/model-signing.jar
DIR=${BENCH_DIR:-/tmp/model-bench}
SMALL_MB=${SMALL_MB:-64}
LARGE_MB=${LARGE_MB:-8192}
FILES=${FILES:-2000}
SHARD=${SHARD:-1073741824}
KEY=pipeline/sample/keys/demo-private-key.pem
[ -f "$JAR" ] || mvn -B -q package -DskipTests

make_file() { # path size_mb
  [ -f "$1" ] && [ "$(stat -c %s "$1")" -eq $(( $2 * 1048576 )) ] && return
  mkdir -p "$(dirname "$1")"
  head -c $(( $2 * 1048576 )) /dev/urandom > "$1"
}
make_file "$DIR/small/weights.bin" "$SMALL_MB"
make_file "$DIR/large/weights.bin" "$LARGE_MB"
# shards: the large size cut into 1-5 GB-like files (scaled: 4 files)
for i in 1 2 3 4; do make_file "$DIR/sharded/model-0000$i-of-00004.safetensors" $(( LARGE_MB / 4 )); done
if [ ! -d "$DIR/many" ]; then
  mkdir -p "$DIR/many"
  for i in $(seq 1 "$FILES"); do head -c $(( (i % 7 + 1) * 4096 )) /dev/urandom > "$DIR/many/f$i.bin"; done
fi
cat "$DIR"/large/* "$DIR"/sharded/* "$DIR"/many/* > /dev/null # into page cache

rss() { grep -o 'Maximum resident set size (kbytes): [0-9]*' "$1" | awk '{print int($NF/1024)}'; }
timed() { # label cmd... -> seconds, peak MiB
  local log; log=$(mktemp)
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -v "$@" > "$log.out" 2> "$log" || { cat "$log" "$log.out" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$(echo "$end - $start" | bc) $(rss "$log")"
}
MB_LARGE=$LARGE_MB
cores=$(nproc)

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $cores cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1)"
read -r k_line < <(java -cp "$JAR" dev.modelsigning.pipeline.bench.KernelBenchmark "$DIR/large")
echo "kernel: $k_line"
read -r t_sum _ < <(timed bash -c "ls $DIR/large/* $DIR/sharded/* | xargs -P $cores -n 1 sha256sum")
echo "| what | data | seconds | rate MB/s | peak RSS MiB |"
echo "|---|---|---|---|---|"
echo "| sha256sum, $cores parallel | large+sharded $((2 * MB_LARGE)) MiB | $t_sum | $(echo "2 * $MB_LARGE * 1.048576 / $t_sum" | bc) | - |"
for shape in "small files" "one-file shards" "sharded files"; do :; done
read -r t_small r_small < <(timed java -jar "$JAR" digest --model="$DIR/small")
read -r t_sign r_sign < <(timed java -jar "$JAR" sign --model="$DIR/small" --signer=key --privateKey="$KEY" --signature="$DIR/small.sig" --overwrite=true)
read -r t_large r_large < <(timed java -jar "$JAR" digest --model="$DIR/large" --method=shards --shardSize="$SHARD")
read -r t_sharded r_sharded < <(timed java -jar "$JAR" digest --model="$DIR/sharded" --method=shards --shardSize="$SHARD")
read -r t_many r_many < <(timed java -jar "$JAR" digest --model="$DIR/many")
slope=$(echo "($MB_LARGE - $SMALL_MB) * 1.048576 / ($t_large - $t_small)" | bc)
slope_sharded=$(echo "($MB_LARGE - $SMALL_MB) * 1.048576 / ($t_sharded - $t_small)" | bc)
echo "| pipeline digest, $SMALL_MB MiB (fixed cost) | 1 file | $t_small | - | $r_small |"
echo "| pipeline sign --signer=key, $SMALL_MB MiB | 1 file | $t_sign | - | $r_sign |"
echo "| pipeline digest, shards of $SHARD B | 1 file, $MB_LARGE MiB | $t_large | slope $slope | $r_large |"
echo "| pipeline digest, shards | 4 files, $MB_LARGE MiB | $t_sharded | slope $slope_sharded | $r_sharded |"
echo "| pipeline digest, files | $FILES small files | $t_many | - | $r_many |"
