#!/usr/bin/env bash
# Streaming throughput: Scenic's worker on a one-filter scenario against a raw consume → produce
# copy loop with the same batching (500 records) and one Kafka transaction per batch, on the
# same broker (nisshi 0.7.0, in-memory), in the same run. The broker is pinned to core 0 and the
# benchmark to core 1. Each round prints both rates (msg/s, bounded by the broker) and the CPU
# time each side spent per record (user + system, from getrusage over the same window: µs per
# record for the copy loop and for Scenic, and their ratio), which the broker does not bound.
#
#   load-tests/stream-bench.sh [RECORDS] [ROUNDS] [BATCH]
set -euo pipefail
cd "$(dirname "$0")/.."
records="${1:-50000}"
rounds="${2:-3}"
batch="${3:-500}"
nisshi="${NISSHI:-$(command -v nisshi || echo "$HOME/.cargo/bin/nisshi")}"
[ -x "$nisshi" ] || { echo "nisshi 0.7.0 is needed: ./scripts/test installs it" >&2; exit 1; }
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
cargo build --quiet --release -p scenic-stream --example throughput
taskset -c 0 "$nisshi" broker --listener-url "tcp://127.0.0.1:$port" \
  --advertised-listener-url "tcp://127.0.0.1:$port" --storage-engine memory://nisshi/ \
  >/dev/null 2>&1 &
broker=$!
trap 'kill $broker 2>/dev/null || true' EXIT
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.05; done
RUST_LOG=error taskset -c 1 target/release/examples/throughput "127.0.0.1:$port" "$records" "$rounds" "$batch"
