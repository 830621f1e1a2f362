#!/usr/bin/env bash
# Start-up time and memory of `scenic serve`: copies of examples/loan-request.json with distinct
# names and slugs, then the time from exec to the first 200 from /ready, and the resident set
# size after start-up. Usage: load-tests/startup.sh [COUNT...] (default: 10 100)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p scenic-gateway
counts=("${@:-10 100}")
for n in ${counts[@]}; do
  dir=$(mktemp -d)
  for i in $(seq 1 "$n"); do
    sed -e "s/\"id\": \"LoanRequest\"/\"id\": \"LoanRequest$i\"/" -e "s/\"slug\": \"loan\"/\"slug\": \"loan$i\"/" \
      examples/loan-request.json > "$dir/loan$i.json"
  done
  port=$((18300 + n % 100))
  start=$(date +%s%N)
  target/release/scenic serve "$dir" --port "$port" --workers 1 > /dev/null 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/ready" > /dev/null; do sleep 0.001; done
  ready=$(( ($(date +%s%N) - start) / 1000000 ))
  deployed=$(curl -s "http://127.0.0.1:$port/api/scenarios" | grep -o '"RUNNING"' | wc -l)
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  echo "$n scenarios: $deployed deployed, ready after ${ready} ms, RSS $((rss / 1024)) MiB"
  kill "$pid"
  wait "$pid" 2> /dev/null || true
  rm -rf "$dir"
done
