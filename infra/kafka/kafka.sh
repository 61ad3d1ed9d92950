#!/usr/bin/env bash
# A single-node KRaft Apache Kafka broker from the Maven Central jars, for
# development and tests. No Docker, no tarball: `fetch` asks Maven for the
# broker's jars once, `up` formats a log dir and starts `kafka.Kafka`.
#
#   kafka.sh fetch            copy the jars into the cache (once)
#   kafka.sh up [--fresh]     start (or find) the broker; last stdout line is 127.0.0.1:PORT
#   kafka.sh down             stop it (SIGTERM, then SIGKILL); the data stays
#   kafka.sh status           say whether it runs; exit 0 if it does, 3 if not
#   kafka.sh up --brokers N [--node I] [--fresh]
#                             a cluster of N nodes instead (kafka-cluster.sh); `down` and
#                             `status` find it too (see kafka-cluster.sh)
#
# Environment:
#   KAFKA_PORT            client port on 127.0.0.1 (default 19092)
#   KAFKA_DATA_DIR        log dirs, config, pid file and broker logs (default <cache>/data-<port>)
#   CORDON_CACHE_DIR      cache root (default <repo>/.cache); jars go to <root>/kafka-<version>/lib
#   KAFKA_HEAP_OPTS       JVM heap (default -Xms256m -Xmx512m)
#   KAFKA_START_TIMEOUT   seconds `up` waits for the broker to answer (default 90)
#   KAFKA_OWNER_PID       if set, the broker is stopped once that process is gone
#                         (test runs that die without their teardown leave nothing behind)
#   KAFKA_OWNER_WIPE=1    with KAFKA_OWNER_PID: also delete KAFKA_DATA_DIR then
#
# Set by kafka-cluster.sh for one node of a cluster (a single broker leaves them unset):
#   KAFKA_NODE_ID, KAFKA_CONTROLLER_PORT, KAFKA_QUORUM_VOTERS, KAFKA_CLUSTER_ID,
#   KAFKA_REPLICATION (default replication factor), KAFKA_MIN_ISR (min.insync.replicas)
#
# Messages go to stderr; stdout carries only the bootstrap address, so
# `BROKERS=$(kafka.sh up)` works.
set -euo pipefail

KAFKA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$KAFKA_DIR/../.." && pwd)"
POM="$KAFKA_DIR/pom.xml"
# One source for the version: the pom.
KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM" | head -n1)"
CACHE_DIR="${CORDON_CACHE_DIR:-$REPO_DIR/.cache}/kafka-$KAFKA_VERSION"
LIB_DIR="$CACHE_DIR/lib"
PORT="${KAFKA_PORT:-19092}"
DATA_DIR="${KAFKA_DATA_DIR:-$CACHE_DIR/data-$PORT}"
PID_FILE="$DATA_DIR/broker.pid"
CONFIG="$DATA_DIR/server.properties"
LOG_DIR="$DATA_DIR/logs"
KRAFT_DIR="$DATA_DIR/kraft-combined-logs"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
NODE_ID="${KAFKA_NODE_ID:-1}"
REPLICATION="${KAFKA_REPLICATION:-1}"
MIN_ISR="${KAFKA_MIN_ISR:-1}"
STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"

say() { printf 'kafka.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

jars_present() {
  [[ -f "$LIB_DIR/.complete" && -f "$LIB_DIR/kafka_2.13-$KAFKA_VERSION.jar" && -f "$LIB_DIR/kafka-tools-$KAFKA_VERSION.jar" ]]
}

cmd_fetch() {
  if jars_present; then
    say "jars for Kafka $KAFKA_VERSION already in $LIB_DIR"
    return 0
  fi
  command -v mvn >/dev/null || die "mvn not found: Maven 3 is needed to fetch the Kafka jars"
  command -v java >/dev/null || die "java not found: Java 17 is needed to run Kafka"
  mkdir -p "$CACHE_DIR"
  # Copy into a temporary folder and rename, so an interrupted fetch never
  # leaves a half classpath that looks complete.
  local tmp="$LIB_DIR.tmp.$$"
  rm -rf "$tmp"
  say "fetching Kafka $KAFKA_VERSION jars from Maven Central into $LIB_DIR"
  # Maven 3.8 prints colour resets even with -q -B: strip escapes and blank lines.
  mvn -q -B -Dstyle.color=never -f "$POM" dependency:copy-dependencies -DoutputDirectory="$tmp" 2>&1 \
    | sed 's/\x1b\[[0-9;]*m//g' | { grep -v '^[[:space:]]*$' || true; } >&2 \
    || { rm -rf "$tmp"; die "maven could not fetch the Kafka $KAFKA_VERSION jars"; }
  touch "$tmp/.complete"
  rm -rf "$LIB_DIR"
  mv "$tmp" "$LIB_DIR"
}

pid_alive() {
  local pid="$1"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  # Guard against a recycled pid: the process must be our broker with our config.
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "kafka.Kafka $CONFIG"
}

running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  pid_alive "$pid" || return 1
  printf '%s\n' "$pid"
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})"
}

write_config() {
  # The controller port is kept in the data dir: a restart on the same data
  # reuses it, unless something else took it meanwhile.
  local cport="${KAFKA_CONTROLLER_PORT:-}"
  if [[ -z "$cport" && -f "$DATA_DIR/controller.port" ]]; then
    cport="$(cat "$DATA_DIR/controller.port")"
    if port_open "$cport"; then cport=""; fi
  fi
  if [[ -z "$cport" ]]; then
    cport="$(free_port)"
    while [[ "$cport" == "$PORT" ]]; do cport="$(free_port)"; done
    printf '%s\n' "$cport" >"$DATA_DIR/controller.port"
  fi
  cat >"$CONFIG" <<EOF
# Written by infra/kafka/kafka.sh; rewritten on every start.
process.roles=broker,controller
node.id=$NODE_ID
controller.quorum.voters=${KAFKA_QUORUM_VOTERS:-$NODE_ID@127.0.0.1:$cport}
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KRAFT_DIR

# One node: every replication factor and ISR is 1. A cluster node
# (kafka-cluster.sh): 3 and 2 on three nodes, so one node may be down.
num.partitions=3
default.replication.factor=$REPLICATION
min.insync.replicas=$MIN_ISR
offsets.topic.replication.factor=$REPLICATION
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=$REPLICATION
transaction.state.log.min.isr=$MIN_ISR
transaction.state.log.num.partitions=5
auto.create.topics.enable=true
delete.topic.enable=true
# Tests join groups constantly; no reason to wait for more members.
group.initial.rebalance.delay.ms=0
# After a kill -9 the controller keeps the dead incarnation registered until
# its session expires, and the restarted broker waits for that (9 s default).
broker.heartbeat.interval.ms=1000
broker.session.timeout.ms=3000

# Small: a test broker, not a data store.
num.network.threads=3
num.io.threads=4
log.segment.bytes=16777216
log.retention.hours=24
log.retention.check.interval.ms=60000
log.cleaner.dedupe.buffer.size=8388608
log.cleaner.threads=1
socket.request.max.bytes=104857600
EOF
  cat >"$DATA_DIR/log4j.properties" <<EOF
# Broker logs go to files under $LOG_DIR, never to the console.
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.RollingFileAppender
log4j.appender.file.File=$LOG_DIR/server.log
log4j.appender.file.MaxFileSize=20MB
log4j.appender.file.MaxBackupIndex=2
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.kafka.network.RequestChannel\$=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.org.apache.kafka.controller=INFO
log4j.logger.kafka.log.LogCleaner=WARN
EOF
}

java_opts() {
  # shellcheck disable=SC2206
  local heap=(${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m})
  printf '%s\n' "${heap[@]}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    "-Dlog4j.configuration=file:$DATA_DIR/log4j.properties" "-Dkafka.logs.dir=$LOG_DIR"
}

format_storage() {
  if [[ -f "$KRAFT_DIR/meta.properties" ]]; then
    return 0
  fi
  # A Kafka Uuid is 16 random bytes in URL-safe base64 without padding.
  local cluster_id
  # A cluster id is 16 random bytes in URL-safe base64. One that begins with
  # '-' is read by kafka-storage's argument parser as an option and the format
  # fails (about 1 start in 64), so draw again until it does not.
  cluster_id="${KAFKA_CLUSTER_ID:--}"
  while [[ "$cluster_id" == -* ]]; do
    cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
  done
  say "formatting $KRAFT_DIR (cluster $cluster_id)"
  local opts
  mapfile -t opts < <(java_opts)
  java "${opts[@]}" -cp "$LIB_DIR/*" kafka.tools.StorageTool format \
    -t "$cluster_id" -c "$CONFIG" --ignore-formatted >>"$LOG_DIR/format.log" 2>&1 \
    || { tail -n 20 "$LOG_DIR/format.log" >&2; die "formatting the storage failed"; }
}

# Succeeds once the broker answers a metadata request (kafkajs admin when the
# repo's node_modules has it, Kafka's own AdminClient otherwise).
broker_answers() {
  local remaining_ms="$1"
  if [[ -f "$REPO_DIR/node_modules/kafkajs/package.json" ]] && command -v node >/dev/null; then
    node "$KAFKA_DIR/wait-ready.mjs" "127.0.0.1:$PORT" "$remaining_ms" "$NODE_ID" >&2
  else
    java -Dlog4j.configuration=file:/dev/null -cp "$LIB_DIR/*" org.apache.kafka.tools.ClusterTool \
      cluster-id --bootstrap-server "127.0.0.1:$PORT" >/dev/null 2>&1
  fi
}

wait_ready() {
  local pid="$1" deadline=$((SECONDS + START_TIMEOUT))
  while ((SECONDS < deadline)); do
    if ! pid_alive "$pid"; then
      say "the broker exited during start; last lines of $LOG_DIR/server.log:"
      tail -n 30 "$LOG_DIR/server.log" >&2 2>/dev/null || true
      tail -n 30 "$LOG_DIR/stdout.log" >&2 2>/dev/null || true
      return 1
    fi
    if port_open "$PORT" && broker_answers $(((deadline - SECONDS) * 1000)); then
      return 0
    fi
    sleep 0.2
  done
  say "the broker did not answer on 127.0.0.1:$PORT within ${START_TIMEOUT}s (see $LOG_DIR/server.log)"
  return 1
}

stop_pid() {
  local pid="$1" deadline
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + STOP_TIMEOUT))
  while pid_alive "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
  if pid_alive "$pid"; then
    say "broker $pid did not stop within ${STOP_TIMEOUT}s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
}

start_owner_watch() {
  local owner="${KAFKA_OWNER_PID:-}"
  [[ -n "$owner" ]] && kill -0 "$owner" 2>/dev/null || return 0
  KAFKA_PORT="$PORT" KAFKA_DATA_DIR="$DATA_DIR" setsid bash -c '
    while kill -0 "$1" 2>/dev/null; do sleep 2; done
    bash "$2" down
    if [[ "${KAFKA_OWNER_WIPE:-}" == 1 ]]; then rm -rf "$3"; fi
  ' owner-watch "$owner" "$KAFKA_DIR/kafka.sh" "$DATA_DIR" </dev/null >/dev/null 2>&1 9>&- &
}

cmd_up() {
  local fresh=0
  for arg in "$@"; do
    case "$arg" in
      --fresh) fresh=1 ;;
      *) die "unknown option to up: $arg" ;;
    esac
  done
  mkdir -p "$DATA_DIR"
  # One `up`/`down` at a time per data dir.
  exec 9>"$DATA_DIR/.lock"
  flock 9

  local pid
  if pid="$(running_pid)"; then
    if ((fresh)); then
      say "stopping broker $pid to start fresh"
      stop_pid "$pid"
      rm -f "$PID_FILE"
    else
      say "broker already running (pid $pid) on 127.0.0.1:$PORT"
      wait_ready "$pid" || exit 1
      printf '127.0.0.1:%s\n' "$PORT"
      return 0
    fi
  fi
  rm -f "$PID_FILE"
  if port_open "$PORT"; then
    die "127.0.0.1:$PORT is taken by another process (not a broker started from $DATA_DIR)"
  fi
  if ((fresh)); then
    say "wiping $KRAFT_DIR"
    rm -rf "$KRAFT_DIR" "$DATA_DIR/controller.port"
  fi

  cmd_fetch
  mkdir -p "$LOG_DIR" "$KRAFT_DIR"
  write_config
  format_storage

  local opts
  mapfile -t opts < <(java_opts)
  # setsid: the broker outlives this script and the process group that ran it
  # (npm, vitest); the shell writes its own pid, then execs java in its place.
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" \
    java "${opts[@]}" -cp "$LIB_DIR/*" kafka.Kafka "$CONFIG" \
    </dev/null >>"$LOG_DIR/stdout.log" 2>&1 9>&- &
  local deadline=$((SECONDS + 10))
  while [[ ! -s "$PID_FILE" ]] && ((SECONDS < deadline)); do sleep 0.05; done
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [[ -n "$pid" ]] || die "the broker process did not start"
  # The pid file is written before exec; give exec a moment to show kafka.Kafka.
  deadline=$((SECONDS + 5))
  while ! pid_alive "$pid" && kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.05; done
  say "broker pid $pid, Kafka $KAFKA_VERSION, data in $DATA_DIR"
  if ! wait_ready "$pid"; then
    pid_alive "$pid" && stop_pid "$pid"
    rm -f "$PID_FILE"
    exit 1
  fi
  start_owner_watch
  say "broker ready on 127.0.0.1:$PORT"
  printf '127.0.0.1:%s\n' "$PORT"
}

cmd_down() {
  [[ -d "$DATA_DIR" ]] || { say "no broker data in $DATA_DIR"; return 0; }
  exec 9>"$DATA_DIR/.lock"
  flock 9
  local pid
  if pid="$(running_pid)"; then
    say "stopping broker $pid on 127.0.0.1:$PORT"
    stop_pid "$pid"
    say "stopped (data kept in $DATA_DIR)"
  else
    say "no broker running from $DATA_DIR"
  fi
  rm -f "$PID_FILE"
}

cmd_status() {
  local pid
  if pid="$(running_pid)"; then
    say "running: pid $pid, Kafka $KAFKA_VERSION, 127.0.0.1:$PORT, data in $DATA_DIR"
    printf '127.0.0.1:%s\n' "$PORT"
    return 0
  fi
  say "not running (port $PORT, data in $DATA_DIR)"
  return 3
}

# A cluster (`up --brokers N`, or a data dir kafka-cluster.sh made) is kafka-cluster.sh's.
is_cluster_call() {
  local arg
  for arg in "$@"; do [[ "$arg" == --brokers* || "$arg" == --node* ]] && return 0; done
  [[ -f "$(cluster_dir)/cluster.env" ]]
}
cluster_dir() { printf '%s\n' "${KAFKA_DATA_DIR:-$CACHE_DIR/cluster-$PORT}"; }

case "${1:-}" in
  fetch) cmd_fetch ;;
  up)
    shift
    if is_cluster_call "$@"; then exec bash "$KAFKA_DIR/kafka-cluster.sh" up "$@"; fi
    cmd_up "$@"
    ;;
  down | stop-keep-data)
    shift
    if is_cluster_call "$@"; then
      # `kafka:down` stops all of it: a single broker on this port too, if there is one.
      if [[ -z "${KAFKA_DATA_DIR:-}" && -d "$DATA_DIR" ]]; then cmd_down; fi
      exec bash "$KAFKA_DIR/kafka-cluster.sh" down "$@"
    fi
    cmd_down
    ;;
  status)
    shift
    if is_cluster_call "$@"; then exec bash "$KAFKA_DIR/kafka-cluster.sh" status "$@"; fi
    cmd_status
    ;;
  *)
    say "usage: kafka.sh fetch | up [--fresh] [--brokers N [--node I]] | down [--node I] | status"
    exit 2
    ;;
esac
