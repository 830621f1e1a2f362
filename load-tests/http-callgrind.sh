#!/usr/bin/env bash
# Instructions per HTTP request, server side, under callgrind: `scenic serve --workers 1` on
# load-tests/http-bench.json against the bare actix-web baseline, each sent the same requests
# over one keep-alive connection. Counters are zeroed after a warm-up, so start-up and the first
# requests do not count. Repeatable where wall-clock rates are not (valgrind counts
# instructions, whatever else the machine does).
# Usage: load-tests/http-callgrind.sh [REQUESTS]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-3000}
cargo build --release -q -p scenic-gateway -p scenic-baseline
dir=$(mktemp -d)
cp load-tests/http-bench.json "$dir/"
send() { # URL COUNT
  python3 - "$1" "$2" <<'PY'
import socket, sys, time, urllib.parse
url, count = urllib.parse.urlparse(sys.argv[1]), int(sys.argv[2])
body = b'{"amount": 42, "city": "Warszawa"}'
# One write per request, as wrk and real clients send it (http.client writes the head and the
# body apart, and each partial read makes the server parse the head again).
request = (f"POST {url.path} HTTP/1.1\r\nHost: {url.hostname}\r\nContent-Type: application/json\r\n"
           f"Content-Length: {len(body)}\r\n\r\n").encode() + body
for _ in range(600):  # wait for the server (valgrind starts slowly)
    try:
        c = socket.create_connection((url.hostname, url.port), timeout=30); break
    except OSError:
        time.sleep(0.1)
buf = b""
for _ in range(count):
    c.sendall(request)
    while True:
        head, sep, rest = buf.partition(b"\r\n\r\n")
        if sep:
            length = next(int(l.split(b":")[1]) for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:"))
            if len(rest) >= length:
                assert head.startswith(b"HTTP/1.1 200"), head
                buf = rest[length:]
                break
        buf += c.recv(65536)
PY
}
measure() { # NAME URL COMMAND...
  local name=$1 url=$2; shift 2
  valgrind --tool=callgrind --callgrind-out-file="$dir/cg.$name" "$@" > /dev/null 2>&1 &
  local pid=$!
  send "$url" 300
  callgrind_control -z "$pid" > /dev/null
  send "$url" "$n"
  callgrind_control -d "$pid" > /dev/null
  kill "$pid"; wait "$pid" 2>/dev/null || true
  # The dump after zeroing holds exactly the measured requests (all threads).
  local total
  total=$(cat "$dir"/cg."$name".* 2>/dev/null | awk '/^summary:/ {s += $2} END {print s}')
  echo "$name: $(( total / n )) instructions per request ($total over $n requests)"
  echo "$total" > "$dir/total.$name"
}
measure scenic http://127.0.0.1:18190/scenario/bench target/release/scenic serve "$dir" --workers 1 --port 18190
measure baseline http://127.0.0.1:18191/ target/release/scenic-baseline 18191 1
awk -v s="$(cat "$dir/total.scenic")" -v b="$(cat "$dir/total.baseline")" \
  'BEGIN {printf "ratio (baseline / scenic, higher is better): %.2f\n", b / s}'
rm -rf "$dir"
