#!/usr/bin/env bash
# k6's own metrics next to Scenic's, in one InfluxDB: starts influxd (Debian's influxdb 1.6) on a
# free port with a temporary folder, `scenic serve examples/` reporting to its database
# `nussknacker_metrics` (the `metrics` section of a configuration file, as in
# docs/observability.md), then runs a k6 script with `--out influxdb=…/k6`. It prints what each
# side measured: k6's requests and latency percentiles (client side, milliseconds) and Scenic's
# invocation count and percentiles (server side, the reference's invocation.success.histogram in
# nanoseconds, shown in milliseconds).
#
# Usage: load-tests/k6-influx.sh [SCRIPT] (default load-tests/k6/loan-request.js)
# Environment: SCENIC (the binary; default target/release/scenic, built if missing), K6
# (default .venv-k6/bin/k6, see load-tests/README.md), VUS, DURATION (as the k6 scripts),
# KEEP=1 leaves influxd running and prints its URL, for Grafana on dashboards/.
set -euo pipefail
cd "$(dirname "$0")/.."
script=${1:-load-tests/k6/loan-request.js}
k6=${K6:-.venv-k6/bin/k6}
scenic=${SCENIC:-target/release/scenic}
command -v influxd > /dev/null || { echo "influxd is needed: apt-get install -y influxdb" >&2; exit 2; }
[ -x "$k6" ] || { echo "k6 is needed at $k6 (load-tests/README.md, Install k6)" >&2; exit 2; }
[ -x "$scenic" ] || cargo build --release -q -p scenic-gateway

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
work=$(mktemp -d)
influx_port=$(free_port)
rpc_port=$(free_port)
scenic_port=$(free_port)
cat > "$work/influxdb.conf" << EOF
reporting-disabled = true
bind-address = "127.0.0.1:$rpc_port"
[meta]
  dir = "$work/meta"
[data]
  dir = "$work/data"
  wal-dir = "$work/wal"
[http]
  bind-address = "127.0.0.1:$influx_port"
  log-enabled = false
[monitor]
  store-enabled = false
EOF
influxd -config "$work/influxdb.conf" > "$work/influxd.log" 2>&1 &
influx_pid=$!
cleanup() {
  [ -n "${scenic_pid:-}" ] && kill "$scenic_pid" 2> /dev/null || true
  if [ "${KEEP:-0}" != 1 ]; then
    kill "$influx_pid" 2> /dev/null || true
    wait 2> /dev/null || true
    rm -rf "$work"
  fi
}
trap cleanup EXIT
influx="http://127.0.0.1:$influx_port"
until curl -sf "$influx/ping" > /dev/null; do sleep 0.1; done
query() { curl -sf "$influx/query" --data-urlencode "db=$1" --data-urlencode "q=$2"; }
query k6 "CREATE DATABASE k6" > /dev/null
query nussknacker_metrics "CREATE DATABASE nussknacker_metrics" > /dev/null

cat > "$work/scenic.json" << EOF
{"metrics": {"environment": "load", "instanceId": "scenic-1",
  "influx": {"url": "$influx", "database": "nussknacker_metrics", "reporterPolling": "1 s"}}}
EOF
"$scenic" serve examples/*.json --config "$work/scenic.json" --port "$scenic_port" > "$work/scenic.log" 2>&1 &
scenic_pid=$!
until curl -sf "http://127.0.0.1:$scenic_port/ready" > /dev/null; do sleep 0.05; done

BASE_URL="http://127.0.0.1:$scenic_port" "$k6" run --no-usage-report --quiet \
  --out "influxdb=$influx/k6" "$script"
# Two reports of Scenic's reporter after the last request.
sleep 2.5

value() { python3 -c 'import json,sys; r=json.load(sys.stdin)["results"][0]; s=r.get("series"); print(" ".join(str(v) for v in s[0]["values"][0][1:]) if s else "none")'; }
echo
echo "k6 (client side, InfluxDB database k6):"
echo "  requests: $(query k6 'SELECT count("value") FROM "http_reqs"' | value)"
echo "  http_req_duration p50 p95 p99 (ms): $(query k6 'SELECT percentile("value", 50), percentile("value", 95), percentile("value", 99) FROM "http_req_duration"' | value)"
echo "Scenic (server side, InfluxDB database nussknacker_metrics):"
echo "  invocations by scenario (invocation.success.histogram count):"
query nussknacker_metrics 'SELECT last("count") FROM "invocation.success.histogram" WHERE "env" = '"'load'"' GROUP BY "scenario"' \
  | python3 -c 'import json,sys; [print("    %s: %s" % (s["tags"]["scenario"], s["values"][0][1])) for s in json.load(sys.stdin)["results"][0].get("series", []) if s["values"][0][1]]'
echo "  the busiest scenario's last window p50 p99 max (ms):"
query nussknacker_metrics 'SELECT last("p50") / 1000000, last("p99") / 1000000, last("max") / 1000000 FROM "invocation.success.histogram" WHERE "env" = '"'load'"' AND "count" > 0 GROUP BY "scenario"' \
  | python3 -c 'import json,sys; [print("    %s: %s" % (s["tags"]["scenario"], " ".join("%.3f" % v for v in s["values"][0][1:]))) for s in json.load(sys.stdin)["results"][0].get("series", [])]'
if [ "${KEEP:-0}" = 1 ]; then
  echo "InfluxDB keeps running at $influx (pid $influx_pid, folder $work): databases k6 and nussknacker_metrics"
fi
