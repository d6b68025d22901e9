"""The spec is honest: it fails against broken stand-ins and passes against faithful ones.

Each ``broken_*`` module in ``tests/standins`` is multiprocessing with one
behaviour changed, and names the claims that change breaks (``BREAKS``). A test
here runs the spec modules of one such claim against the stand-in, in a fresh
pytest process (``--mp-impl``), and reads the claims JSON; the faithful
stand-ins must pass the whole spec. These runs take minutes, so they run only
with ``--selfcheck``.
"""

import ast
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from mpspec import catalogue, proctree

ROOT = Path(__file__).resolve().parent.parent
STANDINS = ROOT / "tests" / "standins"
FAITHFUL = ["mp_reexport", "mp_wrapper"]

# Claims no stand-in implementation can break, and why.
NO_STANDIN = {
    "process-tree-root": "kernel behaviour; the implementation only starts the child that looks",
    "fork-returns-twice": "os.fork(), not the implementation",
    "fork-separate-memory": "os.fork(), not the implementation",
    "time-sharing": "the kernel's scheduler",
    "gil-threads-one-core": "threads of one interpreter",
    "io-threads-overlap": "threads of one interpreter",
    "thousands-of-threads": "threads of one interpreter",
    "threads-share-globals": "threads of one interpreter",
    "getppid-portable": "the os module; the verdict rests on the Python documentation",
    "sigchld-notifies-parent": "needs a stand-in that changes which process forks the child",
    "terminate-breaks-sync": "needs locks and events that survive their holder's death",
    "pipe-same-end-conflict": "needs connections whose sends are atomic at any size",
    "fds-inherited-under-fork": "what a child inherits is os.fork()'s and exec's doing",
    "fork-copies-one-thread": "os.fork() copies one thread and every lock as it is",
    "main-reimported": "importing the script in a new process is the start method's nature",
    "main-guard-required": "importing the script in a new process is the start method's nature",
    "resources-pass-explicitly": "importing modules afresh in a new process is the start "
    "method's nature",
    "process-subclass-picklable": "the Process object travels pickled; breaking that means "
    "starting processes another way",
    "forkserver-preload": "needs a forkserver that ignores its preload list",
}


def breaks(path):
    """The claims a broken stand-in declares it breaks (its BREAKS list)."""
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and [t.id for t in node.targets] == ["BREAKS"]:
            return ast.literal_eval(node.value)
    raise AssertionError(f"{path.name} declares no BREAKS")


BROKEN = {p.stem: breaks(p) for p in sorted(STANDINS.glob("broken_*.py"))}
CASES = [(standin, claim) for standin, claims in BROKEN.items() for claim in claims]


@pytest.fixture
def selfcheck(request):
    """Skips the test unless --selfcheck: it re-runs the spec against a stand-in (minutes)."""
    if not request.config.getoption("selfcheck"):
        pytest.skip("re-runs the spec against stand-ins: run with --selfcheck")


def spec_modules_of(claim):
    marker = re.compile(rf"""mark\.claim\(["']{re.escape(claim)}["']\)""")
    return [
        str(p) for p in sorted((ROOT / "spec").glob("test_*.py")) if marker.search(p.read_text())
    ]


def run_spec(impl, paths, tmp_path, timeout_seconds):
    """Run the spec against ``impl`` in a new pytest process; return (exit code, claims JSON)."""
    out = tmp_path / "claims.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "MPSPEC_"))}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(STANDINS), env.get("PYTHONPATH")]))
    # A broken stand-in makes some waits run to their bound: keep the bound short.
    env["MPSPEC_TIMEOUT"] = str(timeout_seconds)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist"]
    command += ["--mp-impl", impl, "--claims-json", str(out), *paths]
    # Its own session: if it is killed (a timeout here), its children are not
    # orphaned for good; whatever is left in its process group is killed below.
    proc = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = proc.communicate(timeout=800)
    finally:
        kill_process_group(proc)
    assert out.exists(), output
    return proc.returncode, json.loads(out.read_text())


def kill_process_group(proc, grace=5.0):
    """Let what ``proc`` left in its process group end (bounded), then kill the rest."""
    if proc.poll() is None:
        proc.kill()
    proc.wait()

    def group_is_empty():
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            return True
        return False

    if not proctree.wait_until(group_is_empty, grace, interval=0.05):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


def test_every_claim_has_a_broken_standin_or_a_reason_why_not():
    claims = catalogue.load(ROOT / "spec" / "claims.toml")
    broken = {claim for _, claim in CASES}
    assert broken <= set(claims)
    assert set(NO_STANDIN) <= set(claims)
    assert not broken & set(NO_STANDIN)
    assert set(claims) - broken - set(NO_STANDIN) == set()


# Each case runs a pytest of its own: far longer than pytest-timeout's default.
@pytest.mark.timeout(600)
@pytest.mark.parametrize(("standin", "claim"), CASES)
def test_spec_fails_against_a_standin_that_breaks_its_claim(standin, claim, tmp_path, selfcheck):
    code, data = run_spec(standin, spec_modules_of(claim), tmp_path, timeout_seconds=3)
    failures = [(r["outcome"], r.get("failure")) for r in data["results"] if r["claim"] == claim]
    assert code == pytest.ExitCode.TESTS_FAILED
    assert data["implementation"] == standin
    # Refuted by an assertion, not knocked over by a TypeError or a timeout.
    assert ("failed", "AssertionError") in failures


@pytest.mark.timeout(900)
@pytest.mark.parametrize("standin", FAITHFUL)
def test_spec_passes_against_a_faithful_standin(standin, tmp_path, selfcheck):
    code, data = run_spec(standin, ["spec"], tmp_path, timeout_seconds=20)
    bad = [r["test"] for r in data["results"] if r["outcome"] in ("failed", "error")]
    assert bad == []
    assert code == pytest.ExitCode.OK
    assert data["implementation"] == standin
