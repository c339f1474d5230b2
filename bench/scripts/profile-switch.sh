#!/usr/bin/env bash
# Profiles a running switch's CPU with async-profiler for SECONDS and writes collapsed stacks per thread to OUT
# (one line per stack: frames separated by ';', then the sample count; feed it to a flame graph tool or sum it up by
# thread and frame). The profiler comes from Maven Central (tools.profiler:async-profiler), like everything else.
#   bench/scripts/profile-switch.sh PID [SECONDS] [OUT]        (default 15 s, profile-<pid>.collapsed)
# BENCHMARKS.md, "Where a purchase's microseconds go", was measured this way while bin/prepaid load ran.
set -euo pipefail
pid="${1:?usage: profile-switch.sh PID [SECONDS] [OUT]}"
seconds="${2:-15}"
out="${3:-profile-$pid.collapsed}"
version=4.2
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jar="$HOME/.m2/repository/tools/profiler/async-profiler/$version/async-profiler-$version.jar"
if [[ ! -f "$jar" ]]; then
  mvn -q -B dependency:get -Dartifact="tools.profiler:async-profiler:$version" >&2
fi
lib_dir="$(mktemp -d)"
trap 'rm -rf "$lib_dir"' EXIT
unzip -q -o "$jar" "linux-$(uname -m | sed 's/x86_64/x64/;s/aarch64/arm64/')/libasyncProfiler.so" -d "$lib_dir"
lib="$(ls "$lib_dir"/*/libasyncProfiler.so)"
attach=(java "$root/bench/scripts/AsyncProfilerAttach.java" "$pid" "$lib")
"${attach[@]}" "start,event=cpu,interval=500us,threads"
sleep "$seconds"
"${attach[@]}" "stop,file=$(realpath -m "$out"),collapsed"
echo "wrote $out" >&2
