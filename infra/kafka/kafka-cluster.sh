#!/usr/bin/env bash
# A KRaft Apache Kafka cluster of N nodes on loopback, each node a broker and
# a controller (a voter of the quorum), each run by kafka.sh from the same
# jars. Reached through kafka.sh (`kafka.sh up --brokers 3`), or directly:
#
#   kafka-cluster.sh up --brokers N [--fresh]   start every node not running; stdout: the bootstrap list
#   kafka-cluster.sh up --node I                start node I again (after a crash); stdout: the bootstrap list
#   kafka-cluster.sh down [--node I]            stop every node (or node I); the data stays
#   kafka-cluster.sh status                     each node's state; exit 0 if all run, 3 if not
#
# Environment (beyond kafka.sh's KAFKA_HEAP_OPTS, KAFKA_START_TIMEOUT, KAFKA_OWNER_PID, CORDON_CACHE_DIR):
#   KAFKA_PORT              client port of node 1 (default 19092); node I listens on KAFKA_PORT+I-1
#   KAFKA_PORTS             the client ports, comma-separated, instead (tests: free ports)
#   KAFKA_CONTROLLER_PORTS  the controller ports, comma-separated (default: free ports, picked once)
#   KAFKA_DATA_DIR          the cluster's folder (default <cache>/cluster-<port>): cluster.env, node-I/
#
# Ports, the cluster id and the node count are fixed at the first `up` and
# kept in cluster.env: every later `up` and `down` reads them from there.
# Replication: factor min(N, 3) for every topic the brokers create
# themselves (including __consumer_offsets), min.insync.replicas 2 from three
# nodes on, so acks=all survives one node down.
set -euo pipefail

KAFKA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$KAFKA_DIR/../.." && pwd)"
KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$KAFKA_DIR/pom.xml" | head -n1)"
CACHE_DIR="${CORDON_CACHE_DIR:-$REPO_DIR/.cache}/kafka-$KAFKA_VERSION"
BASE_PORT="${KAFKA_PORT:-19092}"
CLUSTER_DIR="${KAFKA_DATA_DIR:-$CACHE_DIR/cluster-$BASE_PORT}"
ENV_FILE="$CLUSTER_DIR/cluster.env"

say() { printf 'kafka-cluster.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})"
}

# BROKERS, CLUSTER_ID, PORTS (array), CONTROLLER_PORTS (array), from cluster.env.
load_env() {
  [[ -f "$ENV_FILE" ]] || return 1
  local ports cports
  BROKERS="$(sed -n 's/^BROKERS=//p' "$ENV_FILE")"
  CLUSTER_ID="$(sed -n 's/^CLUSTER_ID=//p' "$ENV_FILE")"
  ports="$(sed -n 's/^PORTS=//p' "$ENV_FILE")"
  cports="$(sed -n 's/^CONTROLLER_PORTS=//p' "$ENV_FILE")"
  IFS=, read -r -a PORTS <<<"$ports"
  IFS=, read -r -a CONTROLLER_PORTS <<<"$cports"
}

# Fixes the cluster's shape on its first start.
create_env() {
  local n="$1" i
  ((n >= 1 && n <= 9)) || die "--brokers must be 1 to 9, not $n"
  if [[ -n "${KAFKA_PORTS:-}" ]]; then
    IFS=, read -r -a PORTS <<<"$KAFKA_PORTS"
  else
    PORTS=()
    for ((i = 0; i < n; i++)); do PORTS+=($((BASE_PORT + i))); done
  fi
  if [[ -n "${KAFKA_CONTROLLER_PORTS:-}" ]]; then
    IFS=, read -r -a CONTROLLER_PORTS <<<"$KAFKA_CONTROLLER_PORTS"
  else
    CONTROLLER_PORTS=()
    for ((i = 0; i < n; i++)); do
      local p
      p="$(free_port)"
      while [[ " ${PORTS[*]} ${CONTROLLER_PORTS[*]} " == *" $p "* ]]; do p="$(free_port)"; done
      CONTROLLER_PORTS+=("$p")
    done
  fi
  ((${#PORTS[@]} == n && ${#CONTROLLER_PORTS[@]} == n)) || die "KAFKA_PORTS and KAFKA_CONTROLLER_PORTS must name $n ports each"
  # A Kafka cluster id: 16 random bytes, URL-safe base64, never starting with '-' (see kafka.sh).
  CLUSTER_ID="-"
  while [[ "$CLUSTER_ID" == -* ]]; do
    CLUSTER_ID="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
  done
  BROKERS="$n"
  local joined_ports joined_cports
  joined_ports="$(IFS=,; echo "${PORTS[*]}")"
  joined_cports="$(IFS=,; echo "${CONTROLLER_PORTS[*]}")"
  printf 'BROKERS=%s\nCLUSTER_ID=%s\nPORTS=%s\nCONTROLLER_PORTS=%s\n' "$n" "$CLUSTER_ID" "$joined_ports" "$joined_cports" >"$ENV_FILE.tmp"
  mv "$ENV_FILE.tmp" "$ENV_FILE"
}

bootstrap() {
  local out=() p
  for p in "${PORTS[@]}"; do out+=("127.0.0.1:$p"); done
  (IFS=,; echo "${out[*]}")
}

# Runs kafka.sh for node I (1-based) with that node's settings.
node_kafka() {
  local i="$1"
  shift
  local voters=() j rf=$((BROKERS < 3 ? BROKERS : 3))
  for ((j = 0; j < BROKERS; j++)); do voters+=("$((j + 1))@127.0.0.1:${CONTROLLER_PORTS[$j]}"); done
  KAFKA_PORT="${PORTS[$((i - 1))]}" \
    KAFKA_DATA_DIR="$CLUSTER_DIR/node-$i" \
    KAFKA_NODE_ID="$i" \
    KAFKA_CONTROLLER_PORT="${CONTROLLER_PORTS[$((i - 1))]}" \
    KAFKA_QUORUM_VOTERS="$(IFS=,; echo "${voters[*]}")" \
    KAFKA_CLUSTER_ID="$CLUSTER_ID" \
    KAFKA_REPLICATION="$rf" \
    KAFKA_MIN_ISR="$((rf >= 3 ? 2 : 1))" \
    bash "$KAFKA_DIR/kafka.sh" "$@"
}

# Runs `kafka.sh <args>` for the given nodes at once (a quorum of voters
# needs a majority up before any node is ready); fails if any failed.
on_nodes() {
  local args="$1" pids=() i failed=0
  shift
  for i in "$@"; do
    # shellcheck disable=SC2086
    node_kafka "$i" $args >/dev/null &
    pids+=($!)
  done
  for i in "${!pids[@]}"; do wait "${pids[$i]}" || failed=1; done
  return "$failed"
}

cmd_up() {
  local brokers="" only="" fresh=0
  while (($#)); do
    case "$1" in
      --brokers) brokers="${2:-}"; shift 2 ;;
      --brokers=*) brokers="${1#*=}"; shift ;;
      --node) only="${2:-}"; shift 2 ;;
      --node=*) only="${1#*=}"; shift ;;
      --fresh) fresh=1; shift ;;
      *) die "unknown option to up: $1" ;;
    esac
  done
  mkdir -p "$CLUSTER_DIR"
  exec 9>"$CLUSTER_DIR/.lock"
  flock 9
  if load_env; then
    [[ -z "$brokers" || "$brokers" == "$BROKERS" ]] ||
      die "$CLUSTER_DIR holds a cluster of $BROKERS nodes, not $brokers: stop it and start it with --fresh, or use another KAFKA_DATA_DIR"
    if ((fresh)); then
      say "stopping the cluster to start fresh"
      on_nodes down $(seq 1 "$BROKERS") || true
      rm -rf "$CLUSTER_DIR"/node-* "$ENV_FILE"
      create_env "$BROKERS"
    fi
  else
    [[ -n "$brokers" ]] || die "no cluster in $CLUSTER_DIR yet: say how many nodes (--brokers N)"
    create_env "$brokers"
  fi
  local nodes
  if [[ -n "$only" ]]; then
    ((only >= 1 && only <= BROKERS)) || die "--node must be 1 to $BROKERS, not $only"
    nodes="$only"
  else
    nodes="$(seq 1 "$BROKERS")"
  fi
  bash "$KAFKA_DIR/kafka.sh" fetch
  say "starting node(s) $(echo $nodes) of $BROKERS (Kafka $KAFKA_VERSION, data in $CLUSTER_DIR)"
  # shellcheck disable=SC2086
  on_nodes up $nodes || die "a node did not start (see $CLUSTER_DIR/node-*/logs/server.log)"
  # Ready once every node is registered: topics with replication factor 3 can be made.
  if [[ -f "$REPO_DIR/node_modules/kafkajs/package.json" ]]; then
    node "$KAFKA_DIR/wait-ready.mjs" "$(bootstrap)" "$((${KAFKA_START_TIMEOUT:-90} * 1000))" "" "$BROKERS" >&2 ||
      die "the cluster did not list all $BROKERS brokers in time"
  fi
  say "cluster ready: $(bootstrap)"
  bootstrap
}

cmd_down() {
  local only=""
  while (($#)); do
    case "$1" in
      --node) only="${2:-}"; shift 2 ;;
      --node=*) only="${1#*=}"; shift ;;
      --brokers) shift 2 ;;
      --brokers=*) shift ;;
      *) die "unknown option to down: $1" ;;
    esac
  done
  load_env || { say "no cluster in $CLUSTER_DIR"; return 0; }
  if [[ -n "$only" ]]; then
    node_kafka "$only" down
    return
  fi
  # All at once: stopped one after the other, the last nodes would wait for a
  # quorum that has already gone.
  # shellcheck disable=SC2046
  on_nodes down $(seq 1 "$BROKERS")
  say "cluster stopped (data kept in $CLUSTER_DIR)"
}

cmd_status() {
  load_env || { say "no cluster in $CLUSTER_DIR"; return 3; }
  local i all=0
  for ((i = 1; i <= BROKERS; i++)); do node_kafka "$i" status >/dev/null || all=3; done
  if ((all == 0)); then bootstrap; fi
  return "$all"
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  down) shift; cmd_down "$@" ;;
  status) shift; cmd_status "$@" ;;
  *)
    say "usage: kafka-cluster.sh up --brokers N [--fresh] | up --node I | down [--node I] | status"
    exit 2
    ;;
esac
