"""What one process start costs, per start method: the floor under the spec's speed.

    python benchmarks/start_costs.py [--impl MODULE] [--starts N]

Starts and joins N children (default 20) that do nothing, under each start
method of the implementation, and prints the mean time per child. Also times
a bare interpreter start and one that imports ``multiprocessing.spawn``, which
is what every spawn child does before it runs its target. A benchmark, not a
test.
"""

import argparse
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from mpspec.runtime import impl
from mpspec.runtime.targets import common


def per_start(ctx, starts):
    ctx.Process(target=common.do_nothing).start()  # a forkserver, say, starts once
    started = time.perf_counter()
    for _ in range(starts):
        proc = ctx.Process(target=common.do_nothing)
        proc.start()
        proc.join(60)
    return (time.perf_counter() - started) / starts


def best_of(command, runs=7):
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True)
        best = min(best, time.perf_counter() - started)
    return best


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--impl", default=impl.DEFAULT)
    parser.add_argument("--starts", type=int, default=20)
    args = parser.parse_args(argv)
    module = impl.load(args.impl)
    print(f"Python {sys.version.split()[0]}, {args.impl}: start + join of a child doing nothing")
    for method in module.get_all_start_methods():
        seconds = per_start(module.get_context(method), args.starts)
        print(f"  {method:<11} {seconds * 1000:6.1f} ms")
    bare = best_of([sys.executable, "-c", "pass"])
    spawn = best_of([sys.executable, "-c", "import multiprocessing.spawn"])
    print("interpreter start, best of 7:")
    print(f"  bare {bare * 1000:.0f} ms; importing multiprocessing.spawn {spawn * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
