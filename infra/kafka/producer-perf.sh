#!/usr/bin/env bash
# Runs Apache Kafka's own producer benchmark (org.apache.kafka.tools.ProducerPerformance,
# the Java client) from the cached jars: the reference the ingest benchmark
# compares kafkajs against, measured in the same run against the same broker.
#
#   producer-perf.sh BOOTSTRAP TOPIC [RECORDS] [RECORD_SIZE] [extra producer props...]
#   e.g. producer-perf.sh 127.0.0.1:19092 perf-test 200000 512 linger.ms=5
#
# Defaults: 100000 records of 512 bytes, --throughput -1 (as fast as it can),
# acks=all. The topic is auto-created by the broker if missing (num.partitions).
# Progress lines go to stderr; stdout gets only the final summary line:
#   N records sent, X records/sec (Y MB/sec), A ms avg latency, M ms max latency, ...
set -euo pipefail

KAFKA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if (($# < 2)); then
  echo "usage: producer-perf.sh BOOTSTRAP TOPIC [RECORDS] [RECORD_SIZE] [producer.prop=value ...]" >&2
  exit 2
fi
BOOTSTRAP="$1"
TOPIC="$2"
RECORDS="${3:-100000}"
RECORD_SIZE="${4:-512}"
shift $(($# < 4 ? $# : 4))

bash "$KAFKA_DIR/kafka.sh" fetch
REPO_DIR="$(cd "$KAFKA_DIR/../.." && pwd)"
KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$KAFKA_DIR/pom.xml" | head -n1)"
LIB_DIR="${CORDON_CACHE_DIR:-$REPO_DIR/.cache}/kafka-$KAFKA_VERSION/lib"

out="$(mktemp)"
trap 'rm -f "$out"' EXIT
java -Xms256m -Xmx512m "-Dlog4j.configuration=file:$KAFKA_DIR/tools-log4j.properties" \
  -cp "$LIB_DIR/*" org.apache.kafka.tools.ProducerPerformance \
  --topic "$TOPIC" --num-records "$RECORDS" --record-size "$RECORD_SIZE" --throughput -1 \
  --producer-props acks=all "bootstrap.servers=$BOOTSTRAP" "$@" | tee "$out" >&2

# The summary is the one line with percentiles; the others are progress.
summary="$(grep -E 'records sent, .* 50th' "$out" | tail -n1 || true)"
if [[ -z "$summary" ]]; then
  echo "producer-perf.sh: ProducerPerformance printed no summary line" >&2
  exit 1
fi
printf '%s\n' "$summary"
