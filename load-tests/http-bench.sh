#!/usr/bin/env bash
# HTTP benchmark: `scenic serve` against the bare actix-web baseline, one after the other in one
# run, first with one worker each (server pinned to core 0, wrk to core 1), then with two workers
# each (server and wrk sharing both cores: on a 2-core machine this shows contention, not
# scaling). Needs wrk (apt-get install wrk).
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
  taskset -c "$wrk_cores" wrk -t"$workers" -c"$conns" -d"${secs}s" --latency -s load-tests/post.lua "$url" | grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors" || true
}
for workers in 1 2; do
  if [ "$workers" = 1 ]; then cores=0 wrk_cores=1; else cores=0,1 wrk_cores=0,1; fi
  echo "==== $workers worker(s), server on core(s) $cores"
  taskset -c "$cores" target/release/scenic serve "$dir" --workers "$workers" --port 18180 > /dev/null 2>&1 &
  pid=$!
  run scenic http://127.0.0.1:18180/scenario/bench
  kill $pid; wait $pid 2>/dev/null || true
  taskset -c "$cores" target/release/scenic-baseline 18181 "$workers" &
  pid=$!
  run baseline http://127.0.0.1:18181/
  kill $pid; wait $pid 2>/dev/null || true
done
rm -rf "$dir"
