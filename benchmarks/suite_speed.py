"""How fast is the spec, per test item, next to CPython's own multiprocessing tests?

    python benchmarks/suite_speed.py              # spec -n 2, spec serial, CPython's suites
    python benchmarks/suite_speed.py --no-serial --no-cpython

Times, with the interpreter running this script:

* the full spec (every claim under fork, spawn and forkserver) with
  ``pytest -n 2`` and serially, counting the test items from the claims JSON;
* CPython's ``test_multiprocessing_{fork,spawn,forkserver}`` with
  ``python -m test -j2`` where the ``test`` package is installed, each one
  after a ``-n 2`` run of the spec: a shared machine's speed drifts over
  minutes, so the spec is timed before each suite and once more at the end,
  and its mean is compared with CPython's figure,

and prints seconds per test item for each and the ratio. A benchmark, not a
test: nothing here fails because of a number.

Both are timed as a second run would be: with bytecode caches. The script
byte-compiles mpspec and lets pytest cache its rewritten test modules first,
and runs everything without PYTHONDONTWRITEBYTECODE. (With that variable set
and no caches, every child compiles mpspec's modules again: 2-2.5 s more per
``-n 2`` run on a 2-core machine.)
"""

import argparse
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
METHODS = ("fork", "spawn", "forkserver")


# Every run may write bytecode caches, whatever this shell says.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(command, **kwargs):
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, env=ENV, **kwargs)
    return time.monotonic() - started, result


def warm_caches():
    """Byte-compile mpspec; let pytest cache the spec's rewritten test modules."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", "mpspec"], cwd=ROOT, env=ENV)
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--co", "spec"]
    subprocess.run(command, cwd=ROOT, env=ENV, capture_output=True)


def spec_run(parallel):
    """(seconds, test items, pytest's summary line) of one full run of the spec."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "claims.json")
        command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "spec"]
        command += ["--claims-json", str(path), "-n", "2" if parallel else "0"]
        seconds, result = timed(command, cwd=ROOT)
        items = len(json.loads(path.read_text())["results"]) if path.exists() else 0
    summary = (result.stdout.strip().splitlines() or ["(no output)"])[-1]
    return seconds, items, summary.strip("= ")


def cpython_run(method):
    """(seconds, tests run, outcome) of CPython's own suite for one start method, or None."""
    name = f"test.test_multiprocessing_{method}"
    if importlib.util.find_spec(name) is None:
        return None
    command = [sys.executable, "-m", "test", f"test_multiprocessing_{method}", "-j2", "-v"]
    seconds, result = timed(command, cwd=tempfile.gettempdir())
    output = result.stdout + result.stderr
    total = re.search(r"Total tests: run=(\d+)", output)
    count = (
        int(total.group(1))
        if total
        else len(re.findall(r" \.\.\. (?:ok|skipped|FAIL|ERROR|expected failure)", output))
    )
    outcome = re.search(r"Result: (\w+)", output)
    return seconds, count, outcome.group(1) if outcome else f"exit {result.returncode}"


def per_item(seconds, items):
    return seconds / items if items else float("nan")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-serial", action="store_true", help="skip the serial spec run")
    parser.add_argument("--no-cpython", action="store_true", help="skip CPython's own suites")
    args = parser.parse_args(argv)
    print(f"Python {sys.version.split()[0]} ({sys.executable})")
    warm_caches()

    spec_times = []

    def time_spec(label):
        seconds, items, summary = spec_run(parallel=True)
        spec_times.append(per_item(seconds, items))
        figures = f"{seconds:6.1f} s  {items} items  {spec_times[-1]:.3f} s/item"
        print(f"spec, -n 2{label}: {figures}  ({summary})")

    time_spec("")
    if not args.no_serial:
        s, n, summary = spec_run(parallel=False)
        print(f"spec, serial: {s:6.1f} s  {n} items  {per_item(s, n):.3f} s/item  ({summary})")
    if args.no_cpython:
        return 0
    total_seconds = total_tests = 0
    for i, method in enumerate(METHODS):
        if importlib.util.find_spec(f"test.test_multiprocessing_{method}") is None:
            print(f"CPython test_multiprocessing_{method}: not installed with this Python")
            continue
        if i and total_tests:
            time_spec(", again")
        s, n, outcome = cpython_run(method)
        total_seconds += s
        total_tests += n
        print(
            f"CPython test_multiprocessing_{method}, -j2: {s:6.1f} s  {n} tests  "
            f"{per_item(s, n):.3f} s/test  ({outcome})"
        )
    if total_tests:
        time_spec(", again")
        ours = sum(spec_times) / len(spec_times)
        theirs = per_item(total_seconds, total_tests)
        print(
            f"CPython's suites together: {theirs:.3f} s/test; the spec under -n 2 "
            f"(mean of {len(spec_times)} runs): {ours:.3f} s/item; ratio {theirs / ours:.1f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
