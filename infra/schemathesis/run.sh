#!/usr/bin/env bash
# Schemathesis against a running Cordon: every operation of the OpenAPI
# document, with all of Schemathesis's checks, on the demo data.
#
#   bash infra/schemathesis/run.sh            # what .ci/run does
#   ST_MAX_EXAMPLES=200 bash infra/schemathesis/run.sh
#
# Fails on any 5xx, any answer the document does not describe (status, content
# type, headers, body schema), any valid request refused (positive data
# acceptance) and any invalid one accepted (negative data rejection).
#
# The server is started here on a free port with a fresh data folder and a
# random admin key (CORDON_BOOTSTRAP_KEY), and stopped afterwards whatever
# happens. The bootstrap key is not a stored key, so DELETE /v1/keys/{id} can
# never revoke the key Schemathesis itself sends (it answers 404 for the id
# "bootstrap"); the keys it may revoke are the ones it creates with POST.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$PWD

version=4.32.5
venv="$root/.cache/schemathesis-$version"
# Its own cache beside the venv, not a .schemathesis/ folder in the work tree.
export XDG_CACHE_HOME="$root/.cache"
max_examples="${ST_MAX_EXAMPLES:-30}"
# Wall-clock bound of the Schemathesis run itself (the server start comes on top).
max_seconds="${ST_MAX_SECONDS:-120}"

# Debian's Python is externally managed: a venv of our own, made once, with
# every package pinned (requirements.txt); remade only when those pins change.
requirements="$root/infra/schemathesis/requirements.txt"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$requirements" | cut -d' ' -f1)"
if [[ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]] || [[ "$("$venv/bin/st" --version 2>/dev/null || true)" != *"$version"* ]]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
  echo "$want" >"$stamp"
fi
"$venv/bin/st" --version

work="$(mktemp -d "${TMPDIR:-/tmp}/cordon-schemathesis-XXXXXX")"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
key="st-admin-$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
url="http://127.0.0.1:$port"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# tsx directly, not through npm: the pid is then the server's own, so the
# trap stops the server and not only a wrapper.
PORT="$port" CORDON_HOST=127.0.0.1 CORDON_DATA_DIR="$work/data" CORDON_BOOTSTRAP_KEY="$key" \
  CORDON_LOG_LEVEL=warn CORDON_RATE_LIMIT=100000/100000 \
  "$root/node_modules/.bin/tsx" packages/server/src/main.ts demo >"$work/server.log" 2>&1 &
server_pid=$!

# Ready once the demo data is loaded and counted (main.ts prints the line after settled()).
for _ in $(seq 1 1200); do
  grep -q '^Demo data:' "$work/server.log" 2>/dev/null && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "the server stopped before it was ready:" >&2
    cat "$work/server.log" >&2
    exit 1
  fi
  sleep 0.1
done
grep '^Demo data:' "$work/server.log" || { echo "the server did not load the demo within 120 s" >&2; cat "$work/server.log" >&2; exit 1; }

status=0
# One worker: with two, Hypothesis describes strategies' lambdas in two threads
# at once, and Python 3.11's ast module (which Debian ships) keeps its recursion
# counter in state the threads share (CPython gh-106905); a CI run failed with
# "AST constructor recursion depth mismatch" in hypothesis/internal/lambda_sources.py.
SCHEMATHESIS_HOOKS="$root/infra/schemathesis/hooks.py" ST_FORGIVEN_LOG="$work/forgiven.jsonl" \
  timeout --kill-after=10 "$((max_seconds + 30))" \
  "$venv/bin/st" run "$url/openapi.json" \
    --url "$url" \
    --header "Authorization: Bearer $key" \
    --checks all \
    --max-examples "$max_examples" \
    --max-time "$max_seconds" \
    --seed 7 \
    --workers 1 \
    --request-timeout 30 \
    --report junit --report-dir "$work/report" \
  || status=$?

# What the hooks forgave, so a run's exceptions can be read beside its result.
if [[ -s "$work/forgiven.jsonl" ]]; then
  echo "Forgiven by hooks.py (count, check, operation, reason, fields):"
  python3 -c '
import collections, json, sys
counts = collections.Counter()
for line in open(sys.argv[1], encoding="utf-8"):
    f = json.loads(line)
    counts[(f["code"], f["operation"], f["reason"], ",".join(f["fields"]))] += 1
for key, n in sorted(counts.items()):
    print(f"  {n:5d}  " + "  ".join(key))
' "$work/forgiven.jsonl"
fi

if [[ $status -ne 0 ]]; then
  echo "Schemathesis failed (exit $status). Server log:" >&2
  tail -n 50 "$work/server.log" >&2
fi
exit "$status"
