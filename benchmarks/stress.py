"""Flake hunt: run the suite many times in a row while a CPU hog keeps a core busy.

    python benchmarks/stress.py [--runs 20] [--hogs 1] [--keep DIR] [-- PYTEST_ARGS...]

Each run is ``python -m pytest -n 2 -q -p no:cacheprovider spec`` (or the given
pytest arguments). Prints one line per run and, at the end, every failed test
id with how often it failed. Exits non-zero if any run failed.
"""

import argparse
import collections
import os
import re
import subprocess
import sys
import time

HOG = "import time\nend = time.monotonic() + {seconds}\nwhile time.monotonic() < end: pass\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--hogs", type=int, default=1, help="CPU-bound hog processes")
    parser.add_argument("--run-timeout", type=float, default=600.0)
    parser.add_argument("--keep", metavar="DIR", help="write each failed run's output here")
    parser.add_argument("pytest_args", nargs="*", default=["-n", "2", "spec"])
    args = parser.parse_args(argv)

    lifetime = args.runs * args.run_timeout
    hogs = [
        subprocess.Popen([sys.executable, "-c", HOG.format(seconds=lifetime)])
        for _ in range(args.hogs)
    ]
    failures = collections.Counter()
    failed_runs = 0
    try:
        for run in range(1, args.runs + 1):
            started = time.monotonic()
            proc = subprocess.run(
                [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args.pytest_args],
                capture_output=True,
                text=True,
                timeout=args.run_timeout,
            )
            bad = re.findall(r"^(?:FAILED|ERROR) (\S+)", proc.stdout, re.MULTILINE)
            failures.update(bad)
            failed_runs += proc.returncode != 0
            summary = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else "no output"
            print(f"run {run:2d}: {time.monotonic() - started:6.1f}s  {summary}", flush=True)
            for test_id in bad:
                print(f"        {test_id}", flush=True)
            if args.keep and proc.returncode != 0:
                os.makedirs(args.keep, exist_ok=True)
                with open(os.path.join(args.keep, f"run-{run:02d}.txt"), "w") as f:
                    f.write(proc.stdout + proc.stderr)
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
    print(f"\n{args.runs - failed_runs}/{args.runs} runs passed with {args.hogs} CPU hog(s)")
    for test_id, count in failures.most_common():
        print(f"  {count:2d}x {test_id}")
    return 1 if failed_runs else 0


if __name__ == "__main__":
    sys.exit(main())
