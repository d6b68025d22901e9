"""Flake hunt: run what CI runs many times in a row while CPU hogs keep a core busy.

    python benchmarks/stress.py [--runs 20] [--hogs 1] [--env ENV ...] [--keep DIR]
                                [-- PYTEST_ARGS...]

Without ``--env``, each run is ``python -m pytest -n 2 -q -p no:cacheprovider``
with PYTEST_ARGS (default: ``spec tests``, the spec and the harness tests, as
CI's tox envs run them) on this interpreter. With ``--env``, each run is that
tox env as CI runs it (``py39`` ... ``py315``, ``pypy3``, ``multiprocess``,
``billiard``; PYTEST_ARGS are added to its pytest command); ``py314`` and
``py315`` go through ``tools/unstable-root`` where this machine has no such
interpreter. The envs must exist: run ``tox`` (or the script) once first.
Envs take turns, run after run, so a slow drift of the machine hits them alike.

Prints one line per run and, at the end, per env, runs and failed runs, and
every failed test id with how often it failed. Exits non-zero if any run failed.
"""

import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HOG = "import time\nend = time.monotonic() + {seconds}\nwhile time.monotonic() < end: pass\n"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
UNSTABLE_ROOT = os.path.join(ROOT, "tools", "unstable-root")


def command_for(env, pytest_args, claims_json):
    """The command that runs one pass of ``env`` (None: this interpreter, no tox)."""
    if env is None:
        return [sys.executable, "-m", "pytest", "-n", "2", "-q", "-p", "no:cacheprovider",
                *(pytest_args or ["spec", "tests"])]  # fmt: skip
    # tox's own results file is left alone: this run's claims go elsewhere.
    posargs = ["-q", "-p", "no:cacheprovider", f"--claims-json={claims_json}", *pytest_args]
    tox = ["tox", "run", "-q", "--skip-pkg-install", "-e", env, "--", *posargs]
    version = re.fullmatch(r"py3(1[45])", env)
    if version and shutil.which(f"python3.{version.group(1)}") is None:
        return [UNSTABLE_ROOT, *tox[:1], *tox[2:]]  # tools/unstable-root tox -q ...
    return tox


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="runs of each env")
    parser.add_argument("--hogs", type=int, default=1, help="CPU-bound hog processes")
    parser.add_argument("--env", action="append", help="a tox env to run (repeatable)")
    parser.add_argument("--run-timeout", type=float, default=900.0)
    parser.add_argument("--keep", metavar="DIR", help="write each failed run's output here")
    parser.add_argument("pytest_args", nargs="*", default=[])
    args = parser.parse_args(argv)
    envs = args.env or [None]

    lifetime = args.runs * len(envs) * args.run_timeout
    hogs = [
        subprocess.Popen([sys.executable, "-c", HOG.format(seconds=lifetime)])
        for _ in range(args.hogs)
    ]
    failures = collections.defaultdict(collections.Counter)
    failed_runs = collections.Counter()
    scratch = tempfile.mkdtemp(prefix="mpspec-stress-")
    try:
        for run in range(1, args.runs + 1):
            for env in envs:
                name = env or "this python"
                claims = os.path.join(scratch, f"{env}.json")
                started = time.monotonic()
                try:
                    proc = subprocess.run(
                        command_for(env, args.pytest_args, claims),
                        cwd=ROOT,
                        capture_output=True,
                        text=True,
                        timeout=args.run_timeout,
                    )
                    out, code = proc.stdout + proc.stderr, proc.returncode
                except subprocess.TimeoutExpired as exc:
                    out = f"{exc.stdout or ''}{exc.stderr or ''}\nTIMEOUT after {exc.timeout}s"
                    code = "timeout"
                bad = re.findall(r"^(?:FAILED|ERROR) (\S+)", out, re.MULTILINE)
                if code != 0 and not bad:
                    bad = [f"(run failed: exit {code}, no test named)"]
                failures[name].update(bad)
                failed_runs[name] += code != 0
                summaries = re.findall(r"^=* ?(\d+ (?:passed|failed).*?) ?=*$", out, re.MULTILINE)
                summary = summaries[-1] if summaries else "no pytest summary"
                print(f"run {run:2d} {name:12s} {time.monotonic() - started:6.1f}s  {summary}",
                      flush=True)  # fmt: skip
                for test_id in bad:
                    print(f"        {test_id}", flush=True)
                if args.keep and code != 0:
                    os.makedirs(args.keep, exist_ok=True)
                    path = os.path.join(args.keep, f"{name.replace(' ', '-')}-run-{run:02d}.txt")
                    with open(path, "w") as f:
                        f.write(out)
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"\nwith {args.hogs} CPU hog(s):")
    for env in envs:
        name = env or "this python"
        print(f"  {name:12s} {args.runs - failed_runs[name]}/{args.runs} runs passed")
        for test_id, count in failures[name].most_common():
            print(f"      {count:2d}x {test_id}")
    return 1 if sum(failed_runs.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
