#!/usr/bin/env python3
"""optlab's distance layer beside PyTorch's, in alternating short windows (run with Debian's python3-torch).

The development machine is shared: for seconds to minutes at a time its FMA rate halves (a time series of a
pure FMA loop reads about 230 then 116 GFLOP/s per core), so two benchmarks run minutes apart can land in
different phases and their ratio is off by up to 2x either way. This driver keeps one optlab JVM
(DistanceLayerTiming serve) and PyTorch alive side by side and, for every round and shape, times optlab for
--seconds, then PyTorch on 1 and on 2 threads (its best of the two counts: PyTorch's best thread setting),
with a probe of the machine's rate before and after (PyTorch's 512x512 matmul on two threads). A round's ratio
is PyTorch's best median over optlab's; rounds whose two probe readings agree within 15% likely ran in one
phase and are summarised separately.

    ./mvnw -B -q -o -pl tensor-vector,optim,models test-compile
    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 experiments/scripts/distance_side_by_side.py --rounds 10 --threads 2
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_distance_bench as tb  # noqa: E402

SHAPES = tb.SHAPES
CLASSPATH = "tensor-vector/target/classes:optim/target/classes:models/target/classes:models/target/test-classes"


def java():
    for root in ("/usr/lib/jvm",):
        for name in sorted(os.listdir(root), reverse=True):
            if name.startswith("temurin-25"):
                return os.path.join(root, name, "bin", "java")
    return "java"


class Optlab:
    def __init__(self, threads):
        cmd = [java(), "-Xbatch", "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
               "-cp", CLASSPATH, "optlab.models.layers.DistanceLayerTiming", "serve", str(threads)]
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                  text=True, bufsize=1)
        line = self.p.stdout.readline()
        if not line.startswith("ready"):
            raise SystemExit("optlab did not start: " + line)
        self.describe = line.strip()[6:]

    def ask(self, what, seconds):
        self.p.stdin.write(f"{what} {seconds}\n")
        self.p.stdin.flush()
        return [float(v) for v in self.p.stdout.readline().split()]

    def close(self):
        self.p.stdin.write("quit\n")
        self.p.stdin.flush()
        self.p.wait()


def probe(seconds):
    """Best GFLOP/s of 20 ms windows of 512x512 float32 matmuls on 2 threads: the machine's phase, not a figure."""
    torch.set_num_threads(2)
    a = torch.rand(512, 512)
    best = 0.0
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        t0, k = time.perf_counter(), 0
        while time.perf_counter() - t0 < 0.02:
            torch.mm(a, a)
            k += 1
        best = max(best, k * 2 * 512 ** 3 / (time.perf_counter() - t0) / 1e9)
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--seconds", type=float, default=1.0)
    ap.add_argument("--threads", type=int, default=2, help="optlab's threads")
    a = ap.parse_args()
    opt = Optlab(a.threads)
    # glibc's malloc serves blocks above its mmap threshold (128 KB at start) by fresh mmaps, page faults and all,
    # and raises the threshold to the size of the first mmapped block freed (at most 32 MB). PyTorch's 784->1000
    # step ran 30-80 ms with the threshold low and 14-16 ms once raised (torch_distance_bench.py raises it by
    # accident: its float64 reference frees 31 MB blocks). Free one such block so PyTorch runs at its best.
    warm = torch.empty(31 * 2 ** 20 // 4)
    del warm
    steps = [tb.make_step(tb.expansion, *s, check=False) for s in SHAPES]
    for th in (1, 2):
        torch.set_num_threads(th)
        for s in steps:
            tb.median_ms(s, 1.0)
    print(f"# optlab: {opt.describe}, {a.threads} threads; torch {torch.__version__} (expansion, best of 1 and 2 threads)")
    print("round shape            optlab_ms torch1_ms torch2_ms  ratio  probe_before probe_after (GFLOP/s)")
    rows = []
    for r in range(a.rounds):
        for i, (n, d, m) in enumerate(SHAPES):
            before = probe(0.2)
            o = opt.ask(i, a.seconds)[0]
            tt = []
            for th in (1, 2):
                torch.set_num_threads(th)
                tt.append(tb.median_ms(steps[i], a.seconds))
            after = probe(0.2)
            ratio = min(tt) / o
            steady = max(before, after) <= 1.15 * min(before, after)
            rows.append((i, ratio, steady))
            print(f"{r + 1:5d} {n:3d} {d:4d}->{m:<5d} {o:9.3f} {tt[0]:9.3f} {tt[1]:9.3f} {ratio:6.2f}  "
                  f"{before:8.0f} {after:9.0f}{'' if steady else '  (phase changed)'}",
                  flush=True)
    opt.close()
    print("# ratio = PyTorch's best median / optlab's median, per round")
    for i, (n, d, m) in enumerate(SHAPES):
        all_r = [x[1] for x in rows if x[0] == i]
        st = [x[1] for x in rows if x[0] == i and x[2]]

        def fmt(v):
            return f"median {statistics.median(v):.2f} (min {min(v):.2f}, max {max(v):.2f}, {len(v)} rounds)" if v else "none"
        print(f"# {n:3d} {d:4d}->{m:<5d} all: {fmt(all_r)}; probes agreeing within 15%: {fmt(st)}")


if __name__ == "__main__":
    main()
