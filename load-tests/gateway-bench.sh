#!/usr/bin/env bash
# The routing gateway's overhead: wrk against one `scenic run` backend directly, then through
# `scenic gateway --routes` in front of the same backend, alternating, ROUNDS times, in one run.
# Prints each round's req/s and latency percentiles and the ratio (through the gateway / direct).
# One worker each. On a 2-core machine the backend has core 0, and wrk and the gateway share
# core 1: the gateway's figures include the CPU it takes from the load generator.
# Needs wrk (apt-get install wrk).
# Usage: load-tests/gateway-bench.sh [SECONDS] [CONNECTIONS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
conns=${2:-32}
rounds=${3:-3}
command -v wrk > /dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
cargo build --release -q -p scenic-gateway
dir=$(mktemp -d)
backend_port=18201
gateway_port=18202
cat > "$dir/routes.json" << EOF
{"routes": {"bench": [{"url": "http://127.0.0.1:$backend_port", "weight": 1}]}}
EOF
taskset -c 0 target/release/scenic run load-tests/http-bench.json --host 127.0.0.1 \
  --port "$backend_port" --workers 1 > "$dir/backend.log" 2>&1 &
backend=$!
taskset -c 1 target/release/scenic gateway --routes "$dir/routes.json" --port "$gateway_port" \
  --workers 1 > "$dir/gateway.log" 2>&1 &
gateway=$!
trap 'kill $backend $gateway 2>/dev/null || true; rm -rf "$dir"' EXIT
until curl -sf "http://127.0.0.1:$backend_port/ready" > /dev/null; do sleep 0.05; done
until curl -sf -d '{"amount": 42, "city": "Warszawa"}' "http://127.0.0.1:$gateway_port/scenario/bench" > /dev/null; do sleep 0.05; done

# Prints "req/s p50 p99" (latencies in ms) of one wrk run against URL.
measure() {
  taskset -c 1 wrk -t1 -c"$conns" -d"${secs}s" --latency -s load-tests/post.lua "$1" \
    | awk '
      function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
      /Requests\/sec/ { rps = $2 }
      $1 == "50%" { p50 = ms($2) }
      $1 == "99%" { p99 = ms($2) }
      /Non-2xx/ { bad = $NF }
      END { if (bad != "") print "ERROR: non-2xx answers: " bad > "/dev/stderr"; printf "%s %.3f %.3f\n", rps, p50, p99 }'
}
printf "%-6s %12s %9s %9s %14s %9s %9s %7s\n" round direct-rps p50-ms p99-ms gateway-rps p50-ms p99-ms ratio
for r in $(seq 1 "$rounds"); do
  read -r d_rps d_p50 d_p99 < <(measure "http://127.0.0.1:$backend_port/")
  read -r g_rps g_p50 g_p99 < <(measure "http://127.0.0.1:$gateway_port/scenario/bench")
  awk -v r="$r" -v a="$d_rps" -v b="$d_p50" -v c="$d_p99" -v x="$g_rps" -v y="$g_p50" -v z="$g_p99" \
    'BEGIN { printf "%-6s %12.0f %9.3f %9.3f %14.0f %9.3f %9.3f %7.2f\n", r, a, b, c, x, y, z, x / a }'
done
