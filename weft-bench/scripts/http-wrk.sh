#!/usr/bin/env bash
# HTTP plaintext under wrk: Weft's hello server (weft-examples' HelloServer) against the same
# answer from Netty's HttpServerCodec on its NIO and native epoll transports, keep-alive, with
# wrk -t1 at 16 and 256 connections, every server on the same number of threads. Rounds alternate
# the servers, so the machine's drift falls on each alike; each server gets a 3-second wrk
# warm-up (not counted) before the measured runs. Installs Debian's wrk if it is missing. Also
# reports the heap bytes each server's threads allocate per request, from HelloMain's counts
# taken after the warm-up and after each measured run.
#
# usage: http-wrk.sh ROUNDS SECONDS THREADS [OUT_DIR]
#   ROUNDS   rounds; each starts every server once and runs both connection counts against it
#   SECONDS  length of each measured wrk run
#   THREADS  the servers' threads
#   OUT_DIR  where wrk's outputs go (default: a new temporary directory)
# Needs weft-bench/target/benchmarks.jar (mvn -pl weft-bench -am -DskipTests package).
set -euo pipefail
if [ $# -lt 3 ]; then
  sed -n '2,13p' "$0" >&2
  exit 2
fi
rounds=$1
seconds=$2
threads=$3
out=${4:-$(mktemp -d)}
cd "$(dirname "$0")/../.."
jar=weft-bench/target/benchmarks.jar
[ -f "$jar" ] || { echo "http-wrk: $jar is missing; build it with: mvn -pl weft-bench -am -DskipTests package" >&2; exit 1; }

if ! command -v wrk > /dev/null; then
  echo "http-wrk: installing wrk from Debian" >&2
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq wrk > /dev/null
  elif sudo -n true 2> /dev/null; then
    sudo apt-get update -qq && sudo apt-get install -y -qq wrk > /dev/null
  else
    echo "http-wrk: wrk is not installed, and installing it needs root (apt-get install wrk)" >&2
    exit 1
  fi
fi

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

mkdir -p "$out"
server_pid=
stop_server() { if [ -n "$server_pid" ]; then kill "$server_pid" 2> /dev/null || true; wait "$server_pid" 2> /dev/null || true; server_pid=; fi; }
trap stop_server EXIT

for round in $(seq 1 "$rounds"); do
  for side in weft nettyNio nettyEpoll; do
    port=$(free_port)
    log="$out/round-$round.$side.server.log"
    ctl="$out/round-$round.$side.ctl"
    rm -f "$ctl" && mkfifo "$ctl"
    java -Xms256m -Xmx256m -cp "$jar" dev.weft.bench.net.HelloMain "$side" "$threads" "$port" < "$ctl" > "$log" 2>&1 &
    server_pid=$!
    exec 3> "$ctl" # a line asks the server for its threads' allocated bytes
    for _ in $(seq 1 300); do
      grep -q '^listening on' "$log" && break
      kill -0 "$server_pid" 2> /dev/null || { echo "http-wrk: the $side server died:" >&2; cat "$log" >&2; exit 1; }
      sleep 0.1
    done
    grep -q '^listening on' "$log" || { echo "http-wrk: the $side server did not start in 30 s" >&2; exit 1; }
    url="http://127.0.0.1:$port/"
    wrk -t1 -c64 -d3s "$url" > /dev/null
    mark() { # asks for the count, and waits for the answer to be in the log
      local before
      before=$(grep -c '^allocated ' "$log" || true)
      echo mark >&3
      for _ in $(seq 1 100); do
        [ "$(grep -c '^allocated ' "$log" || true)" -gt "$before" ] && return
        sleep 0.05
      done
      echo "http-wrk: the $side server did not report its allocation" >&2
      exit 1
    }
    mark
    for conns in 16 256; do
      echo "== round $round/$rounds: $side, $conns connections" >&2
      wrk -t1 -c"$conns" -d"${seconds}s" --latency "$url" > "$out/round-$round.$side.c$conns.txt"
      mark
    done
    exec 3>&-
    grep '^allocated ' "$log" > "$out/round-$round.$side.alloc"
    stop_server
  done
done

python3 - "$out" "$threads" <<'PYTHON'
import glob, os, re, statistics, sys

out, threads = sys.argv[1], sys.argv[2]
sides = ["weft", "nettyNio", "nettyEpoll"]
unit = {"us": 1, "ms": 1e3, "s": 1e6}

def micros(text):
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    return float(m.group(1)) * unit[m.group(2)]

rows = {}
allocated = {s: {} for s in sides}
for path in glob.glob(os.path.join(out, "round-*.c*.txt")):
    side, conns = re.search(r"round-\d+\.(\w+)\.c(\d+)\.txt", path).groups()
    text = open(path).read()
    for bad in ("Non-2xx or 3xx responses", "Socket errors"):
        if bad in text:
            sys.exit(f"http-wrk: {path} reports {bad}:\n{text}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    requests = int(re.search(r"(\d+) requests in", text).group(1))
    marks = [int(line.split()[1]) for line in open(path.replace(f".c{conns}.txt", ".alloc"))]
    at = [16, 256].index(int(conns))
    allocated[side].setdefault(int(conns), []).append((marks[at + 1] - marks[at]) / requests)
    p50 = micros(re.search(r"\s50%\s+(\S+)", text).group(1))
    p99 = micros(re.search(r"\s99%\s+(\S+)", text).group(1))
    rows.setdefault(int(conns), {}).setdefault(side, []).append((rps, p50, p99))

rounds = len(glob.glob(os.path.join(out, "round-*.weft.c16.txt")))
print(f"{rounds} rounds, wrk -t1, servers on {threads} thread(s); requests per second, median "
      "[min-max]; latency p50/p99 in microseconds, medians over rounds")
print()
print("| connections | Weft | Netty NIO | Netty epoll | Weft / NIO | Weft / epoll | p50/p99 Weft "
      "| p50/p99 NIO | p50/p99 epoll |")
print("|---|---|---|---|---|---|---|---|---|")
for conns in sorted(rows):
    r = rows[conns]
    med = {s: statistics.median(x[0] for x in r[s]) for s in sides if s in r}
    cells = [str(conns)]
    for s in sides:
        v = [x[0] for x in r.get(s, [])]
        cells.append(f"{med[s]:,.0f} [{min(v):,.0f}-{max(v):,.0f}]" if v else "-")
    for peer in sides[1:]:
        cells.append(f"{med['weft'] / med[peer]:.2f}x" if "weft" in med and peer in med else "-")
    for s in sides:
        v = r.get(s, [])
        cells.append(f"{statistics.median(x[1] for x in v):,.0f} / "
                     f"{statistics.median(x[2] for x in v):,.0f}" if v else "-")
    print("| " + " | ".join(cells) + " |")
print()
print("heap bytes the server's threads allocated per request, median [min-max] over rounds")
print()
print("| connections | Weft | Netty NIO | Netty epoll |")
print("|---|---|---|---|")
for conns in sorted(rows):
    cells = [str(conns)]
    for s in sides:
        v = allocated[s].get(conns, [])
        cells.append(f"{statistics.median(v):,.1f} [{min(v):,.1f}-{max(v):,.1f}]" if v else "-")
    print("| " + " | ".join(cells) + " |")
PYTHON
