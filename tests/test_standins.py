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
import fcntl
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from mpspec import catalogue
from mpspec.plugin import proctree
from mpspec.tools import book

ROOT = Path(__file__).resolve().parent.parent
STANDINS = ROOT / "tests" / "standins"
FAITHFUL = ["mp_reexport", "mp_wrapper"]

# What the catalogue says of stand-ins, per claim (spec/claims.toml): why no stand-in can
# break a claim (no_standin: the kernel, os.fork(), threads inside one interpreter, process
# creation itself), why no stand-in can fail one test of a claim they do break
# (no_standin_tests), and which tests a stand-in still to be written would fail
# (standin_wanted: what it would change). The last two are keyed (claim, test function).
CLAIMS = catalogue.load(ROOT / "spec" / "claims.toml")
NO_STANDIN = {c.id: c.no_standin for c in CLAIMS.values() if c.no_standin}
NO_STANDIN_TEST = {(c.id, t): why for c in CLAIMS.values() for t, why in c.no_standin_tests}
STANDIN_WANTED = {(c.id, t): change for c in CLAIMS.values() for t, change in c.standin_wanted}


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
    """The spec modules that test ``claim``, as the plugin collects them."""
    return sorted({str(ROOT / t.path) for t in book.spec_tests(ROOT) if t.claim == claim})


def modules_for(standin):
    """The spec modules a stand-in is run against: all of them for a faithful one, else
    those that test the claims it breaks."""
    if standin in FAITHFUL:
        return ["spec"]
    return sorted({path for claim in BROKEN[standin] for path in spec_modules_of(claim)})


@pytest.fixture(scope="session")
def runs(request, tmp_path_factory):
    """``runs(standin)``: the (exit code, claims JSON) of the spec run against ``standin``.

    Each stand-in runs once per session. Under xdist the workers share the results
    through files in their common temporary folder, a lock per stand-in making the
    others wait for the one that runs it (bounded, like every wait here)."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if hasattr(request.config, "workerinput") else base
    folder = shared / "standin-runs"
    folder.mkdir(exist_ok=True)

    def run(standin):
        out, done = folder / f"{standin}.json", folder / f"{standin}.code"
        with open(folder / f"{standin}.lock", "w") as lock:
            if not proctree.wait_until(lambda: _try_lock(lock), 1800, interval=0.2):
                raise TimeoutError(f"another worker held the {standin} run for 30 minutes")
            if not done.exists():
                bound = 20 if standin in FAITHFUL else 3
                done.write_text(str(run_spec(standin, modules_for(standin), out, bound)))
            return int(done.read_text()), json.loads(out.read_text())

    return run


def _try_lock(file):
    try:
        fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def run_spec(impl, paths, out, timeout_seconds):
    """Run the spec against ``impl`` in a new pytest process, writing its claims JSON to
    ``out``; return its exit code."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "MPSPEC_"))}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(STANDINS), env.get("PYTHONPATH")]))
    # A broken stand-in makes some waits run to their bound: keep the bound short.
    env["MPSPEC_TIMEOUT"] = str(timeout_seconds)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist"]
    command += ["--mp-impl", impl, f"--claims-json={out}", *paths]
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
    return proc.returncode


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
    assert not broken & set(NO_STANDIN), "a claim a stand-in breaks has a no_standin reason"
    assert set(claims) - broken - set(NO_STANDIN) == set()


def test_the_per_test_standin_reasons_name_tests_of_their_claim():
    tests = {(t.claim, t.name) for t in book.spec_tests(ROOT)}
    declared = set(NO_STANDIN_TEST) | set(STANDIN_WANTED)
    assert declared - tests == set(), "a reason for a test that is not its claim's"
    assert not {claim for claim, _ in declared} & set(NO_STANDIN), "two reasons for one claim"


# A case waits for its stand-in's run (minutes): far longer than pytest-timeout's default.
@pytest.mark.timeout(1800)
@pytest.mark.parametrize(("standin", "claim"), CASES)
def test_spec_fails_against_a_standin_that_breaks_its_claim(standin, claim, runs, selfcheck):
    code, data = runs(standin)
    failures = [(r["outcome"], r.get("failure")) for r in data["results"] if r["claim"] == claim]
    assert code == pytest.ExitCode.TESTS_FAILED
    assert data["implementation"] == standin
    # Refuted by an assertion, not knocked over by a TypeError or a timeout.
    assert any(outcome == "failed" and failure in REFUTING for outcome, failure in failures)


@pytest.mark.timeout(1800)
@pytest.mark.parametrize("standin", FAITHFUL)
def test_spec_passes_against_a_faithful_standin(standin, runs, selfcheck):
    code, data = runs(standin)
    bad = [r["test"] for r in data["results"] if r["outcome"] in ("failed", "error")]
    assert bad == []
    assert code == pytest.ExitCode.OK
    assert data["implementation"] == standin


def function_of(test):
    """A test id without its parameters: one spec test function."""
    return test.partition("[")[0]


def key_of(function, claim_of):
    """``(claim, test function name)`` of a test function id, as the catalogue names it."""
    return claim_of[function], function.rpartition("::")[2]


# How a test says the behaviour is not what it asserts: an assert statement, or
# pytest.fail() and pytest.raises() ("DID NOT RAISE"), which raise pytest's Failed.
REFUTING = ("AssertionError", "Failed")


def refuted_by_assertion(results):
    """The test functions that failed by an assertion in these results."""
    return {
        function_of(r["test"])
        for r in results
        if r["outcome"] == "failed" and r.get("failure") in REFUTING
    }


def not_failed(functions, claim_of, refuted):
    """The test functions that no stand-in refuted and that have no stated reason."""
    return sorted(
        f
        for f in functions
        if f not in refuted
        and key_of(f, claim_of) not in NO_STANDIN_TEST
        and claim_of[f] not in NO_STANDIN
    )


def test_a_test_counts_as_refuted_only_by_an_assertion():
    results = [
        {"test": "spec/t.py::a[fork]", "outcome": "failed", "failure": "AssertionError"},
        {"test": "spec/t.py::b[fork]", "outcome": "failed", "failure": "TypeError"},
        {"test": "spec/t.py::c[fork]", "outcome": "error", "failure": "AssertionError"},
        {"test": "spec/t.py::d[spawn]", "outcome": "passed"},
        {"test": "spec/t.py::f[spawn]", "outcome": "failed", "failure": "Failed"},
    ]
    assert refuted_by_assertion(results) == {"spec/t.py::a", "spec/t.py::f"}
    claim_of = dict.fromkeys(["spec/t.py::a", "spec/t.py::b"], "queue-process-safe")
    claim_of["spec/t.py::e"] = "time-sharing"  # a claim no stand-in can break
    assert not_failed(claim_of, claim_of, {"spec/t.py::a"}) == ["spec/t.py::b"]


@pytest.mark.timeout(3600)
def test_every_spec_test_fails_by_assertion_against_some_standin_or_says_why_not(runs, selfcheck):
    _, faithful = runs(FAITHFUL[0])
    claim_of = {function_of(r["test"]): r["claim"] for r in faithful["results"]}
    refuted = set()
    for standin in BROKEN:
        refuted |= refuted_by_assertion(runs(standin)[1]["results"])
    declared = set(NO_STANDIN_TEST) | set(STANDIN_WANTED)
    assert declared <= {key_of(f, claim_of) for f in claim_of}, "a reason for a test that is gone"
    assert {key_of(f, claim_of) for f in refuted} & declared == set(), "a reason no longer needed"
    missing = [
        f
        for f in not_failed(claim_of, claim_of, refuted)
        if key_of(f, claim_of) not in STANDIN_WANTED
    ]
    assert missing == [], "no stand-in fails these by assertion:\n" + "\n".join(missing)
