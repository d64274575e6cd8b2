#!/bin/sh
# Memory of one long `optlab train` run, sampled as it goes: RSS (/proc/PID/status) and, from the JVM's native memory
# tracking (jcmd PID VM.native_memory summary), the committed total, the Java heap and "Other" (where FFM's off-heap
# tensors are counted). Flat after warm-up = nothing grows per step.
# Usage: experiments/scripts/long_run_memory.sh [STEPS] [OUT_DIR]   (default 20000 steps, runs/long-memory)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/.mvn/find-jdk.sh"
steps=${1:-20000}
out=${2:-runs/long-memory}
mkdir -p "$out"
OPTLAB_JAVA_OPTS="-XX:NativeMemoryTracking=summary" "$root/optlab" train --model mlp:784-256-256-10 \
  --data fashion-mnist --optimizer adam:lr=1e-3 --batch 64 --steps "$steps" --eval-every 5000 --threads 2 \
  --no-plot --out "$out" >"$out/train.log" 2>&1 &
pid=$!
jcmd="$JAVA_HOME/bin/jcmd"
committed() { # NMT category -> committed KB
  "$jcmd" "$pid" VM.native_memory summary 2>/dev/null | sed -n "s/^-* *$1 (reserved=[0-9]*KB, committed=\([0-9]*\)KB.*/\1/p" | head -1
}
printf '%8s %10s %12s %10s %10s %10s %10s\n' step rss_kb nmt_total_kb heap_kb other_kb gc_kb code_kb
next=1000
while kill -0 "$pid" 2>/dev/null; do
  rows=$(($( (wc -l <"$out/steps.csv") 2>/dev/null || echo 1) - 1))
  if [ "$rows" -ge "$next" ]; then
    rss=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status" 2>/dev/null || echo -)
    total=$("$jcmd" "$pid" VM.native_memory summary 2>/dev/null | sed -n 's/^Total: reserved=[0-9]*KB, committed=\([0-9]*\)KB.*/\1/p')
    printf '%8d %10s %12s %10s %10s %10s %10s\n' "$rows" "$rss" "$total" "$(committed 'Java Heap')" "$(committed Other)" \
      "$(committed GC)" "$(committed Code)"
    next=$((next + steps / 10))
  fi
  sleep 0.5
done
wait "$pid"
tail -1 "$out/train.log"
