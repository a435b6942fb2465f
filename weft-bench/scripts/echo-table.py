#!/usr/bin/env python3
"""Turns an interleaved EchoBenchmark run into the echo table of docs/performance.md.

usage: echo-table.py OUT_DIR
  OUT_DIR holds interleave.sh's round-N.SIDE.json and round-N.SIDE.log files of a run whose
  sides are weft, nettyNio and nettyEpoll (each `-p server=SIDE`).

Per row (message size, connections, server threads) and per server: the median of every measured
iteration's round trips per second with its range, Weft's ratio to each Netty transport, and the
medians over forks of each fork's round-trip p50 and p99 and its server context switches per
message (from the `echo-stats` lines the benchmark prints).
"""
import glob
import json
import os
import re
import statistics
import sys

SIDES = ["weft", "nettyNio", "nettyEpoll"]


def main(out):
    scores, stats = {}, {}
    for side in SIDES:
        for path in sorted(glob.glob(os.path.join(out, f"round-*.{side}.json"))):
            for result in json.load(open(path)):
                p = result["params"]
                key = (int(p["size"]), int(p["connections"]), int(p["threads"]))
                for fork in result["primaryMetric"]["rawData"]:
                    scores.setdefault(key, {}).setdefault(side, []).extend(fork)
        for path in sorted(glob.glob(os.path.join(out, f"round-*.{side}.log"))):
            for line in open(path):
                m = re.search(r"echo-stats (\{.*\})", line)
                if m:
                    s = json.loads(m.group(1))
                    key = (s["size"], s["connections"], s["threads"])
                    stats.setdefault(key, {}).setdefault(side, []).append(s)
    rounds = len(glob.glob(os.path.join(out, "round-*.weft.json")))
    print(f"{rounds} rounds; round trips per second, median of all measured iterations "
          "[min-max]; p50/p99 in microseconds and switches per message, medians over forks")
    print()
    print("| size | conns | threads | Weft | Netty NIO | Netty epoll | Weft / NIO | Weft / epoll "
          "| p50/p99 Weft | p50/p99 NIO | p50/p99 epoll | switches/msg Weft, NIO, epoll "
          "| Weft wakeups/msg |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for key in sorted(scores):
        size, conns, threads = key
        med = {s: statistics.median(v) for s, v in scores[key].items()}
        cells = [f"{size} B" if size < 1024 else f"{size // 1024} KiB", f"{conns:,}",
                 str(threads)]
        for side in SIDES:
            v = scores[key].get(side)
            cells.append(f"{med[side]:,.0f} [{min(v):,.0f}-{max(v):,.0f}]" if v else "-")
        for peer in SIDES[1:]:
            ok = "weft" in med and peer in med
            ratio = med["weft"] / med[peer] if ok else None
            cells.append(f"{ratio:.2f}x" if ratio else "-")
        for side in SIDES:
            s = stats.get(key, {}).get(side, [])
            cells.append(f"{statistics.median(x['p50us'] for x in s):,.0f} / "
                         f"{statistics.median(x['p99us'] for x in s):,.0f}" if s else "-")
        switches = []
        for side in SIDES:
            s = stats.get(key, {}).get(side, [])
            switches.append(f"{statistics.median(x['switchesPerMsg'] for x in s):.3f}"
                            if s else "-")
        cells.append(", ".join(switches))
        w = stats.get(key, {}).get("weft", [])
        cells.append(f"{statistics.median(x['wakeupsPerMsg'] for x in w):.4f}" if w else "-")
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1])
