#!/usr/bin/env bash
# HTTP benchmark: `scenic serve --workers 1` against the bare actix-web baseline, one after the
# other in one run, server pinned to core 0 and wrk to core 1. Needs wrk (apt-get install wrk).
# Usage: load-tests/http-bench.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-15}
conns=${2:-32}
cargo build --release -q -p scenic-gateway -p scenic-baseline
dir=$(mktemp -d)
cp load-tests/http-bench.json "$dir/"
run() {
  local name=$1 url=$2
  sleep 1
  curl -sf -d '{"amount": 42, "city": "Warszawa"}' "$url" > /dev/null
  echo "== $name"
  taskset -c 1 wrk -t1 -c"$conns" -d"${secs}s" --latency -s load-tests/post.lua "$url" | grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors" || true
}
taskset -c 0 target/release/scenic serve "$dir" --workers 1 --port 18180 > /dev/null 2>&1 &
pid=$!
run scenic http://127.0.0.1:18180/scenario/bench
kill $pid
taskset -c 0 target/release/scenic-baseline 18181 1 &
pid=$!
run baseline http://127.0.0.1:18181/
kill $pid
rm -rf "$dir"
