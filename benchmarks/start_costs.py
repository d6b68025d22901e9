"""What one process start costs, and what mpspec adds to it: the floor under the spec's speed.

    python benchmarks/start_costs.py [--impl MODULE] [--runs N] [--part PART ...]

Run it with the interpreter of the README's venv (``pip install -e '.[test]'``).
Every comparison alternates its two sides, run after run, and reports medians,
so that a shared machine's drift falls on both sides alike. The parts:

``site``
    ``python -c pass`` in this venv against a bare venv of the same Python
    (``python -m venv --without-pip``, made in a temporary folder): what the
    installed packages' ``.pth`` files cost every interpreter (spawn children,
    forkservers, resource trackers, manager servers).
``imports``
    An interpreter that imports ``multiprocessing.spawn`` and
    ``multiprocessing.connection`` (what a spawn child imports anyway) against
    one that also imports every module of ``mpspec.runtime``.
``children``
    Per start method: a child whose target is a plain function of this script
    against a child whose target is one of mpspec's (from each module of
    ``mpspec.runtime.targets``). Measured in the child, on entry to the
    target: wall time since the parent called ``start()`` (time to first
    instruction) and the child's CPU time so far.
``starts``
    Start and join of a child doing nothing, per start method (mean of N),
    and a bare interpreter's start with and without ``multiprocessing.spawn``.

A benchmark, not a test. This script imports nothing of mpspec at its top
level: spawn children run it again as ``__mp_main__``, and a forkserver may
preload it, which would hide the cost it measures.
"""

import os
import sys
import time

# Only what a child needs is imported here: spawn and forkserver children run
# this script again as __mp_main__, and what it imports they pay for, plain or not.

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PARTS = ("site", "imports", "children", "starts")

# A target of some modules of mpspec.runtime.targets (a module per spec module),
# never called: the child unpickles it (importing its module, as a spec child
# does) and returns. Each targets module imports only the standard library and
# mpspec.runtime, so these stand for the rest.
OURS = {
    "common": "do_nothing",
    "basics": "fork_and_report",
    "gil": "run_many_threads",
    "queue_processes": "put_items_then_wait",
    "exit_codes": "wait_for_release",
}


def median_ms(samples):
    import statistics

    return statistics.median(samples) * 1000


def alternate(commands, runs):
    """Run each command once per round, ``runs`` rounds; the wall time of each, in order."""
    import subprocess

    times = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            started = time.perf_counter()
            subprocess.run(command, check=True)
            times[name].append(time.perf_counter() - started)
    return times


def bare_python(folder):
    """The interpreter of a venv with nothing installed, made from this one's base."""
    import venv

    venv.EnvBuilder(with_pip=False).create(folder)
    return os.path.join(folder, "bin", "python")


def site_cost(runs):
    import tempfile

    with tempfile.TemporaryDirectory(prefix="mpspec-bare-") as folder:
        times = alternate(
            {
                "bare venv": [bare_python(folder), "-c", "pass"],
                "this venv": [sys.executable, "-c", "pass"],
            },
            runs,
        )
    return times


def runtime_modules():
    import pkgutil

    import mpspec.runtime

    names = ["mpspec.runtime"]
    for info in pkgutil.walk_packages(mpspec.runtime.__path__, prefix="mpspec.runtime."):
        names.append(info.name)
    return sorted(names)


def import_cost(runs):
    base = "import multiprocessing.spawn, multiprocessing.connection"
    ours = base + "\n" + "\n".join(f"import {name}" for name in runtime_modules())
    return alternate(
        {
            "multiprocessing": [sys.executable, "-c", base],
            "+ mpspec.runtime": [sys.executable, "-c", ours],
        },
        runs,
    )


def plain():
    """The plain target: a function of this script's own module."""


def on_entry(conn, started, target):
    """Every measured child's target: report time since start() and CPU time so far."""
    conn.send((time.monotonic() - started, time.process_time()))
    conn.close()


def first_instruction(ctx, target):
    reader, writer = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=on_entry, args=(writer, time.monotonic(), target))
    proc.start()  # the time in args is taken just before: building a Process costs microseconds
    writer.close()
    if not reader.poll(60):
        raise RuntimeError("a child did not report within 60 s")
    wall, cpu = reader.recv()
    reader.close()
    proc.join(60)
    return wall, cpu


def child_costs(module, runs):
    import importlib

    targets = {"plain": plain}
    for name, function in OURS.items():
        targets[name] = getattr(importlib.import_module(f"mpspec.runtime.targets.{name}"), function)
    results = {}
    for method in module.get_all_start_methods():
        ctx = module.get_context(method)
        first_instruction(ctx, plain)  # a forkserver, say, starts once
        samples = {name: ([], []) for name in targets}
        for _ in range(runs):
            for name, target in targets.items():
                wall, cpu = first_instruction(ctx, target)
                samples[name][0].append(wall)
                samples[name][1].append(cpu)
        results[method] = samples
    return results


def per_start(ctx, starts):
    def nothing_child():
        proc = ctx.Process(target=plain)
        proc.start()
        proc.join(60)

    nothing_child()  # a forkserver, say, starts once
    started = time.perf_counter()
    for _ in range(starts):
        nothing_child()
    return (time.perf_counter() - started) / starts


def report_pair(times, base, other):
    b, o = median_ms(times[base]), median_ms(times[other])
    print(f"  {base:<18} {b:7.1f} ms")
    print(f"  {other:<18} {o:7.1f} ms   {100 * (o - b) / b:+.1f}%")


def main(argv=None):
    import argparse
    import importlib

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--impl", default="multiprocessing")
    parser.add_argument("--runs", type=int, default=15, help="rounds per comparison (15)")
    parser.add_argument("--part", action="append", choices=PARTS, help="only these (repeat)")
    args = parser.parse_args(argv)
    parts = args.part or PARTS
    module = importlib.import_module(args.impl)
    print(
        f"Python {sys.version.split()[0]} ({sys.executable}), {args.impl}, medians of {args.runs}"
    )
    if "site" in parts:
        print("python -c pass: what this venv's site-packages add to every interpreter")
        report_pair(site_cost(args.runs), "bare venv", "this venv")
    if "imports" in parts:
        print("an interpreter importing multiprocessing.spawn and .connection, then mpspec.runtime")
        report_pair(import_cost(args.runs), "multiprocessing", "+ mpspec.runtime")
    if "children" in parts:
        print("a child, on entry to its target: wall ms since start() / CPU ms so far")
        for method, samples in child_costs(module, args.runs).items():
            base_wall, base_cpu = (median_ms(s) for s in samples["plain"])
            cells = []
            for name, (wall, cpu) in samples.items():
                w, c = median_ms(wall), median_ms(cpu)
                extra = "" if name == "plain" else f" ({w - base_wall:+.1f}/{c - base_cpu:+.1f})"
                cells.append(f"{name} {w:.1f}/{c:.1f}{extra}")
            print(f"  {method:<11} " + "; ".join(cells))
    if "starts" in parts:
        print(f"start + join of a child doing nothing, mean of {args.runs}")
        for method in module.get_all_start_methods():
            seconds = per_start(module.get_context(method), args.runs)
            print(f"  {method:<11} {seconds * 1000:6.1f} ms")
        times = alternate(
            {
                "bare": [sys.executable, "-c", "pass"],
                "multiprocessing.spawn": [sys.executable, "-c", "import multiprocessing.spawn"],
            },
            args.runs,
        )
        print("interpreter start:")
        report_pair(times, "bare", "multiprocessing.spawn")
    return 0


if __name__ == "__main__":
    sys.exit(main())
