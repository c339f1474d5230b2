#!/usr/bin/env bash
# The same load on two checkouts, alternating, three rounds: bin/prepaid load --terminals N for each N of
# TERMINALS (default "1 16"). Usage: bench/scripts/compare-builds.sh OLD_CHECKOUT NEW_CHECKOUT
# (make them with git worktree add --detach DIR <commit>; both need the closed-loop "bin/prepaid load --terminals N" of
# builds before the load generator of issue 12, or pass the same options to both)
set -euo pipefail
old="$(cd "$1" && pwd)"; new="$(cd "$2" && pwd)"
for round in 1 2 3; do
  for terminals in ${TERMINALS:-1 16}; do
    for checkout in "$old" "$new"; do
      result="$(cd "$checkout" && bin/prepaid load --terminals "$terminals" --seconds 10 --warmup 5 --durability PROCESS \
        2>&1 | grep -E '^measured|^round trip' | tr '\n' ' ')"
      echo "round $round, $terminals terminals, $checkout: $result"
    done
  done
done
