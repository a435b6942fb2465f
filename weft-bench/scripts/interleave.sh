#!/usr/bin/env bash
# Runs JMH benchmarks fork by fork, alternating between "sides" in every round, so that the
# machine's drift (a shared 2-core box) falls on every side alike; then prints, per benchmark and
# parameter set, each side's median over all measured iterations with its range, and the ratio of
# each side's median to the first side's.
#
# usage: interleave.sh ROUNDS OUT_DIR 'JMH_ARGS' 'LABEL|COMMAND' ['LABEL|COMMAND' ...]
#   ROUNDS    rounds; each runs one fork of every side, in the order given
#   OUT_DIR   where the JSON results go (one file per round and side)
#   JMH_ARGS  arguments for every side: the benchmark regex and options, e.g.
#             'MultiThreadBenchmark.ping_pong -wi 4 -i 6 -w 1s -r 1s'
#   COMMAND   how a side runs JMH, with its own extra arguments, e.g.
#             'java -jar weft-bench/target/benchmarks.jar -p scheduler=weft'
# example, Weft against ForkJoinPool in one jar:
#   weft-bench/scripts/interleave.sh 5 /tmp/pp 'MultiThreadBenchmark.ping_pong -wi 4 -i 6' \
#     'weft|java -jar weft-bench/target/benchmarks.jar -p scheduler=weft' \
#     'forkJoin|java -jar weft-bench/target/benchmarks.jar -p scheduler=forkJoin'
set -euo pipefail
if [ $# -lt 4 ]; then
  sed -n '2,19p' "$0" >&2
  exit 2
fi
rounds=$1
out=$2
jmh_args=$3
shift 3
mkdir -p "$out"
for round in $(seq 1 "$rounds"); do
  for side in "$@"; do
    label=${side%%|*}
    command=${side#*|}
    echo "== round $round/$rounds: $label" >&2
    # shellcheck disable=SC2086 # the arguments are meant to split
    $command $jmh_args -f 1 -rf json -rff "$out/round-$round.$label.json" > "$out/round-$round.$label.log" 2>&1 \
      || { echo "interleave: $label failed in round $round, see $out/round-$round.$label.log" >&2; exit 1; }
  done
done

labels=()
for side in "$@"; do labels+=("${side%%|*}"); done
python3 - "$out" "${labels[@]}" <<'PYTHON'
import glob, json, os, statistics, sys

out, labels = sys.argv[1], sys.argv[2:]
# (benchmark, params) -> label -> every measured iteration, in order
scores = {}
units = {}
for label in labels:
    for path in sorted(glob.glob(os.path.join(out, f"round-*.{label}.json"))):
        for result in json.load(open(path)):
            params = result.get("params", {})
            # The side's own parameters (the peer it runs) are not part of the key.
            key = (result["benchmark"].rsplit(".", 1)[-1],
                   ", ".join(f"{k}={v}" for k, v in sorted(params.items()) if k not in ("scheduler", "timer", "server")))
            metric = result["primaryMetric"]
            units[key] = metric["scoreUnit"]
            for fork in metric["rawData"]:
                scores.setdefault(key, {}).setdefault(label, []).extend(fork)

rounds = len(glob.glob(os.path.join(out, f"round-*.{labels[0]}.json")))
print(f"{rounds} rounds, medians of all measured iterations, [min-max]; ratio to {labels[0]}")
for key in sorted(scores):
    name = key[0] + (f" ({key[1]})" if key[1] else "")
    base = statistics.median(scores[key][labels[0]]) if labels[0] in scores[key] else None
    cells = []
    for label in labels:
        values = scores[key].get(label)
        if not values:
            cells.append(f"{label}: -")
            continue
        median = statistics.median(values)
        ratio = f" = {median / base:.2f}x" if base else ""
        cells.append(f"{label}: {median:,.1f} [{min(values):,.1f}-{max(values):,.1f}]{ratio}")
    print(f"{name} [{units[key]}]: " + "; ".join(cells))
PYTHON
