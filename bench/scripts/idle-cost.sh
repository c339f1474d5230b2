#!/usr/bin/env bash
# The CPU an idle switch costs: starts bin/prepaid serve on a copy of config/demo in CHECKOUT (default: this
# checkout), lets it settle 15 s, then counts its CPU ticks (utime + stime of /proc/PID/stat) over SECONDS
# (default 60), for the process and by thread. Usage: bench/scripts/idle-cost.sh [CHECKOUT] [SECONDS]
set -euo pipefail
checkout="$(cd "${1:-$(dirname "${BASH_SOURCE[0]}")/../..}" && pwd)"
seconds="${2:-60}"
scratch="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$scratch"' EXIT
cp -r "$checkout/config/demo" "$scratch/demo"
(cd "$checkout" && PREPAID_HEAP="-Xms1g -Xmx1g" exec bin/prepaid serve --config "$scratch/demo/switch.yaml") \
  > "$scratch/serve.log" 2>&1 &
pid=""
for _ in $(seq 1 120); do
  pid="$(pgrep -f "java.*dev.prepaid.server.ServeCommand --config $scratch" | head -1 || true)"
  [[ -n "$pid" ]] && grep -q "switch ready" "$scratch/serve.log" && break
  sleep 1
done
[[ -n "$pid" ]] || { echo "the switch did not start; its log:" >&2; cat "$scratch/serve.log" >&2; exit 1; }
sleep 15
ticks() { awk '{print $14 + $15}' "$1"; }
declare -A before
for task in /proc/"$pid"/task/*; do before[$task]="$(ticks "$task/stat" 2>/dev/null || echo 0)"; done
start="$(ticks /proc/"$pid"/stat)"
sleep "$seconds"
end="$(ticks /proc/"$pid"/stat)"
hz="$(getconf CLK_TCK)"
awk -v t="$((end - start))" -v s="$seconds" -v hz="$hz" \
  'BEGIN { printf "idle switch: %d ticks in %d s = %.4f of a core\n", t, s, t / hz / s }'
for task in /proc/"$pid"/task/*; do
  now="$(ticks "$task/stat" 2>/dev/null || echo 0)"
  used=$((now - ${before[$task]:-0}))
  [[ $used -gt 0 ]] && echo "  $used $(cat "$task/comm" 2>/dev/null)"
done | sort -rn | head -15
