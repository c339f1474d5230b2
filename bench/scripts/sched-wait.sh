#!/usr/bin/env bash
# What the scheduler did to a process's threads over SECONDS: per thread name, the time on a CPU, the time it was
# runnable but waiting for a CPU (the run queue), and how many times it was scheduled — from
# /proc/PID/task/*/schedstat, read twice. A thread that waits for a CPU as long as it runs is what a 2-core machine
# with more busy threads than cores does to the tail; run it beside bin/prepaid load (BENCHMARKS.md, "Scheduler").
#   bench/scripts/sched-wait.sh PID [SECONDS]      (default 10)
set -euo pipefail
pid="${1:?usage: sched-wait.sh PID [SECONDS]}"
seconds="${2:-10}"
snapshot() {
  local task
  for task in /proc/"$pid"/task/*; do
    printf '%s|%s\n' "$(cat "$task/comm" 2>/dev/null)" "$(cat "$task/schedstat" 2>/dev/null)"
  done
}
before="$(snapshot)"
sleep "$seconds"
after="$(snapshot)"
python3 - "$seconds" <(printf '%s\n' "$before") <(printf '%s\n' "$after") <<'PY'
import collections, sys
seconds = float(sys.argv[1])
def load(path):
    sums = collections.defaultdict(lambda: [0, 0, 0])
    for line in open(path):
        name, _, stat = line.rstrip("\n").partition("|")
        fields = stat.split()
        if len(fields) == 3:
            for i in range(3):
                sums[name][i] += int(fields[i])
    return sums
before, after = load(sys.argv[2]), load(sys.argv[3])
rows = []
for name, (run, wait, slices) in after.items():
    b = before.get(name, [0, 0, 0])
    run, wait, slices = (run - b[0]) / 1e9, (wait - b[1]) / 1e9, slices - b[2]
    if run > 0.005 or wait > 0.005:
        rows.append((run, name, wait, slices))
print(f"{'thread':22s} {'on a CPU':>9s} {'waiting':>9s} {'scheduled':>10s} {'wait each':>10s}")
for run, name, wait, slices in sorted(rows, reverse=True):
    print(f"{name:22s} {100 * run / seconds:8.1f}% {100 * wait / seconds:8.1f}% {slices:10d} {1e6 * wait / max(slices, 1):8.1f}µs")
PY
