"""The plugin, end to end: each test runs pytest on a small fake spec in a subprocess."""

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from mpspec import outcomes
from mpspec.plugin import leakcheck, proctree

CATALOGUE = """
[[section]]
id = "Alpha"
en = "Alpha"
zh = "甲"

[[section]]
id = "Beta"
en = "Beta"
zh = "乙"

[[section]]
id = "Gamma"
en = "Gamma"
zh = "丙"

[[claim]]
id = "alpha-claim"
section = "Alpha"
claim = "Alpha holds."
verdict = "holds"
claim_zh = "中文。"

[[claim.fact]]
en = "It does."
zh = "中文。"
source = "https://docs.python.org/3/library/multiprocessing.html"
documented = true

[[claim]]
id = "beta-claim"
section = "Beta"
claim = "Beta holds."
verdict = "refuted"
claim_zh = "中文。"

[[claim.fact]]
en = "It does not."
zh = "中文。"
source = "https://docs.python.org/3/library/multiprocessing.html"
documented = true
"""

ALPHA = """
import pytest
pytestmark = pytest.mark.claim("alpha-claim")

def test_alpha(ctx, start_method):
    assert ctx.get_start_method() == start_method
"""

BETA = """
import pytest
pytestmark = pytest.mark.claim("beta-claim")

def test_beta(start_method):
    pass
"""


@pytest.fixture
def spec(pytester, monkeypatch):
    """A fake project: a two-claim catalogue and a test module per claim (the plugin comes
    from its entry point, as in any project)."""
    for name in list(os.environ):
        if name.startswith(("PYTEST_", "MPSPEC_")):
            monkeypatch.delenv(name)
    pytester.mkdir("spec")
    (pytester.path / "spec" / "claims.toml").write_text(CATALOGUE)
    write(pytester, "spec/test_alpha.py", ALPHA)
    write(pytester, "spec/test_beta.py", BETA)
    return pytester


def write(pytester, relative, source):
    (pytester.path / relative).write_text(textwrap.dedent(source))


INNER_RUN_BOUND = 45  # seconds: inside pytest-timeout's 60, so the inner run is killed first


def run(pytester, *args):
    # A hung inner run is killed, not left holding the /dev/shm lock of its leak check.
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args, timeout=INNER_RUN_BOUND)


def test_claim_tests_run_once_per_start_method_with_the_method_in_their_id(spec):
    result = run(spec, "--collect-only", "-q")
    result.stdout.fnmatch_lines(
        [
            "spec/test_alpha.py::test_alpha[[]fork[]]",
            "spec/test_alpha.py::test_alpha[[]spawn[]]",
            "spec/test_alpha.py::test_alpha[[]forkserver[]]",
        ]
    )
    assert result.ret == 0


def test_claims_json_works_again_when_its_file_exists_and_from_another_directory(spec, tmp_path):
    spec.makeini("[pytest]\n")  # the project's root, wherever pytest is started from
    out = tmp_path / "out.json"
    out.touch()
    for _ in range(2):
        result = run(spec, "--collect-only", "-q", f"--claims-json={out}")
        assert result.ret == 0, result.stderr.str()
        result = run(spec, "--collect-only", "-q", "--claims-json", str(out), "spec")
        assert result.ret == 0, result.stderr.str()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         "--claims-json", str(out), str(spec.path / "spec")],
        cwd=elsewhere, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr


def test_claims_json_misread_as_the_test_path_is_a_usage_error_that_says_why(spec, tmp_path):
    # pytest picks the rootdir before loading any plugin: an existing PATH after
    # a separate --claims-json, with no test path given, decides it.
    spec.makeini("[pytest]\n")
    out = tmp_path / "out.json"
    out.touch()
    result = run(spec, "--collect-only", "-q", "--claims-json", str(out))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*pytest took {out} for a test path*--claims-json={out}*"])


def test_the_plugin_can_be_switched_off(spec):
    result = run(spec, "-p", "no:mpspec", "--collect-only", "-q", "spec/test_alpha.py")
    # Not parametrized by start method, and the claim mark is unknown.
    result.stdout.fnmatch_lines(["spec/test_alpha.py::test_alpha", "*Unknown pytest.mark.claim*"])


def test_start_method_option_restricts_the_matrix(spec):
    result = run(spec, "--collect-only", "-q", "--start-method", "spawn,fork")
    assert result.ret == 0
    assert "test_alpha[spawn]" in result.stdout.str()
    assert "test_alpha[fork]" in result.stdout.str()
    assert "forkserver" not in result.stdout.str()


def test_unknown_start_method_is_a_usage_error(spec):
    result = run(spec, "--start-method", "vfork")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*unknown vfork*"])


def test_ctx_is_an_explicit_context_of_the_implementation_under_test(spec):
    write(spec, "fakemp.py", "from multiprocessing import *\nfrom multiprocessing import __all__\n")
    write(
        spec,
        "spec/test_alpha.py",
        """
        import os
        import pytest
        pytestmark = pytest.mark.claim("alpha-claim")

        def test_alpha(ctx, mp_impl, start_method):
            assert mp_impl.__name__ == "fakemp"
            assert os.environ["MPSPEC_IMPL"] == "fakemp"  # what children inherit
            assert ctx.get_start_method() == start_method
        """,
    )
    result = run(spec, "--mp-impl", "fakemp", "--start-method", "fork", "spec/test_alpha.py")
    result.assert_outcomes(passed=1)


def test_implementation_can_be_named_by_environment_variable(spec, monkeypatch):
    monkeypatch.setenv("MPSPEC_IMPL", "no_such_module_here")
    result = run(spec)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--mp-impl no_such_module_here: cannot import it*"])


def test_claim_test_without_the_start_method_fixture_fails_collection(spec):
    write(spec, "spec/test_beta.py", BETA.replace("start_method", ""))
    result = run(spec)
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["*must use the `ctx` or `start_method` fixture*"])


def test_test_naming_an_unknown_claim_fails_collection(spec):
    write(spec, "spec/test_beta.py", BETA.replace("beta-claim", "gamma-claim"))
    result = run(spec)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*names claim 'gamma-claim', which is not in the catalogue*"])


def test_catalogue_claim_without_a_test_fails_collection(spec):
    (spec.path / "spec" / "test_beta.py").unlink()
    result = run(spec)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*catalogue claim 'beta-claim' has no test*"])


def test_running_part_of_the_spec_does_not_require_every_claim(spec):
    result = run(spec, "spec/test_alpha.py")
    result.assert_outcomes(passed=3)


DOCUMENTED = (
    'source = "https://docs.python.org/3/library/multiprocessing.html"\ndocumented = true\n'
)


def alpha_fact(spec, old, new):
    """Change the alpha claim's fact (the catalogue's first) from ``old`` to ``new``."""
    assert CATALOGUE.count(old) >= 1
    (spec.path / "spec" / "claims.toml").write_text(CATALOGUE.replace(old, new, 1))


def test_a_fact_citing_its_claim_s_test_collects(spec):
    alpha_fact(spec, DOCUMENTED, 'tests = ["test_alpha"]\n')
    result = run(spec)
    result.assert_outcomes(passed=6)


def test_a_fact_citing_a_test_that_does_not_exist_fails_collection(spec):
    alpha_fact(spec, DOCUMENTED, 'tests = ["test_alpha", "test_gone"]\n')
    result = run(spec)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*claim 'alpha-claim', fact #1: cites test_gone, which is not a test function of*"]
    )


def test_a_fact_citing_another_claim_s_test_fails_collection(spec):
    alpha_fact(spec, DOCUMENTED, 'tests = ["test_beta"]\n')
    result = run(spec)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*claim 'alpha-claim', fact #1: cites test_beta, a test of 'beta-claim', not of this*"]
    )


def test_running_part_of_the_spec_does_not_check_the_tests_that_facts_cite(spec):
    alpha_fact(spec, DOCUMENTED, 'tests = ["test_beta"]\n')
    result = run(spec, "spec/test_alpha.py")
    result.assert_outcomes(passed=3)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (DOCUMENTED, "", "*fact #1: no evidence: give tests*"),
        ("documented = true\n", "", "*fact #1: a source needs documented = true*"),
        ('zh = "中文。"\nsource', "source", "*fact #1: no Chinese text (zh)*"),
    ],
    ids=["no evidence", "source not marked documented", "no Chinese text"],
)
def test_a_fact_without_evidence_or_chinese_text_fails_collection(spec, old, new, message):
    alpha_fact(spec, old, new)
    result = run(spec)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*invalid claim catalogue*", message])


def test_spec_test_without_a_claim_marker_fails_collection(spec):
    write(spec, "spec/test_gamma.py", "def test_gamma():\n    pass\n")
    result = run(spec)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*test_gamma: a spec test must name its claim*"])


def test_table_and_json_report_each_claim_per_start_method(spec):
    write(
        spec,
        "spec/test_beta.py",
        """
        import pytest
        pytestmark = pytest.mark.claim("beta-claim")

        def test_beta(start_method):
            if start_method == "forkserver":
                pytest.skip("n/a: not here")
            assert start_method == "fork"
        """,
    )
    result = run(spec, "--claims-json", "claims.json")
    result.stdout.fnmatch_lines(
        [
            "*= mpspec claims =*",
            "*claim * verdict * fork * spawn * forkserver",
            "alpha-claim * holds * verified * verified * verified",
            "beta-claim * refuted * verified * FAILED * n/a",
            "not verified by this run (n/a), and why:",
            "  beta-claim [[]forkserver[]]: n/a: not here",
        ]
    )
    data = json.loads((spec.path / "claims.json").read_text())
    assert data["implementation"] == "multiprocessing"
    assert {"python", "platform", "results"} <= set(data)
    beta = {r["start_method"]: r for r in data["results"] if r["claim"] == "beta-claim"}
    assert {m: r["outcome"] for m, r in beta.items()} == {
        "fork": "passed",
        "spawn": "failed",
        "forkserver": "skipped",
    }
    assert beta["forkserver"]["reason"] == "n/a: not here"
    assert beta["fork"]["verdict"] == "refuted"


def test_table_and_json_are_complete_under_xdist(spec):
    result = run(spec, "-n", "2", "--claims-json", "results/claims.json")
    assert result.stdout.str().count("= mpspec claims =") == 1
    data = json.loads((spec.path / "results" / "claims.json").read_text())
    assert len(data["results"]) == 6


BETA_ONLY_FORK = """
import pytest
pytestmark = pytest.mark.claim("beta-claim")

def test_beta(start_method):
    assert start_method == "fork"
"""

DEVIATION = """
[[deviation]]
claim = "beta-claim"
start_methods = ["spawn", "forkserver"]
actual = "Beta needs fork."
reason = "Upstream design."
"""


def declare(spec, text=DEVIATION):
    (spec.path / "spec" / "expectations").mkdir(exist_ok=True)
    (spec.path / "spec" / "expectations" / "multiprocessing.toml").write_text(text)


def test_a_declared_deviation_is_reported_as_expected_and_does_not_fail_the_run(spec):
    write(spec, "spec/test_beta.py", BETA_ONLY_FORK)
    declare(spec)
    result = run(spec, "--claims-json", "claims.json")
    result.stdout.fnmatch_lines(
        [
            "beta-claim * refuted * verified * deviates (expected) * deviates (expected)",
            "expected deviations of multiprocessing *",
            "  beta-claim [[]spawn, forkserver[]]: Beta needs fork.",
        ]
    )
    assert result.ret == 0
    results = outcomes.load(spec.path / "claims.json")
    beta = {r.start_method: r for r in results.results if r.claim == "beta-claim"}
    assert beta["spawn"].outcome == "deviates"
    assert beta["spawn"].reason == "Beta needs fork."  # as declared: no prefix to strip
    cells = results.claims["beta-claim"].cells
    assert (cells["fork"].kind, cells["spawn"].kind) == ("verified", "deviates")
    assert cells["spawn"].counts["deviates"] == 1


def test_a_declared_deviation_that_does_not_happen_fails_the_run(spec):
    declare(spec)  # test_beta passes under every method: the entry is stale
    result = run(spec)
    result.stdout.fnmatch_lines(
        [
            "*test_beta[[]spawn[]]*",
            "[[]XPASS(strict)[]] declared in spec/expectations/multiprocessing.toml: "
            "Beta needs fork.",
            "beta-claim * refuted * verified * FAILED * FAILED",
        ]
    )
    assert result.ret == 1


def test_a_deviating_test_that_fails_another_way_than_declared_fails_the_run(spec):
    write(spec, "spec/test_beta.py", BETA_ONLY_FORK.replace("assert start_method ==", "1 / 0,"))
    declare(spec)
    result = run(spec, "--start-method", "spawn")
    result.stdout.fnmatch_lines(["*ZeroDivisionError*", "*1 failed*"])


def test_a_deviation_whose_condition_does_not_hold_here_is_not_applied(spec):
    write(spec, "spec/test_beta.py", BETA_ONLY_FORK)
    declare(spec, DEVIATION + 'python = "<3.0"\n')
    result = run(spec)
    result.stdout.fnmatch_lines(["beta-claim * refuted * verified * FAILED * FAILED"])


def test_nothing_assumes_the_spec_lives_in_a_folder_named_spec(spec):
    """The catalogue's folder (ini ``mpspec_catalogue``) is the spec's: its tests, its
    expectations, the catalogue check and every report name it."""
    (spec.path / "spec").rename(spec.path / "claims")
    spec.makeini("[pytest]\nmpspec_catalogue = claims/claims.toml\n")
    write(spec, "claims/test_beta.py", BETA_ONLY_FORK)
    (spec.path / "claims" / "expectations").mkdir()
    (spec.path / "claims" / "expectations" / "multiprocessing.toml").write_text(DEVIATION)
    result = run(spec, "--claims-json=claims.json")
    result.stdout.fnmatch_lines(
        [
            "alpha-claim * holds * verified * verified * verified",
            "beta-claim * refuted * verified * deviates (expected) * deviates (expected)",
            "expected deviations of multiprocessing (declared in "
            "claims/expectations/multiprocessing.toml), and what happens:",
        ]
    )
    assert "spec/" not in result.stdout.str()
    assert result.ret == 0
    # The catalogue check knows the folder too: a test there must name its claim.
    write(spec, "claims/test_gamma.py", "def test_gamma():\n    pass\n")
    result = run(spec, "--collect-only")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*claims/test_gamma.py::test_gamma: a spec test must name*"])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (DEVIATION.replace('"beta-claim"', '"gamma-claim"'), "*no such claim in the catalogue*"),
        (DEVIATION + 'tests = ["test_gamma*"]\n', "*beta-claim * matches no test (stale?)*"),
    ],
)
def test_an_unknown_or_unmatched_deviation_fails_collection(spec, text, message):
    declare(spec, text)
    result = run(spec, "--collect-only")
    assert result.ret == 4
    result.stderr.fnmatch_lines([message])


@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver"])
def test_a_child_left_running_fails_the_test_and_is_killed(spec, method):
    write(
        spec,
        "spec/test_alpha.py",
        """
        import time
        import pytest
        pytestmark = pytest.mark.claim("alpha-claim")

        def test_alpha(ctx):
            proc = ctx.Process(target=time.sleep, args=(60,))
            proc.start()
            print("LEAKED", proc.pid)
        """,
    )
    result = run(spec, "-s", "--start-method", method, "spec/test_alpha.py")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*test left behind processes (killed now)*"])
    leaked = int(result.stdout.str().split("LEAKED ")[1].split()[0])
    with pytest.raises(ProcessLookupError):
        os.kill(leaked, 0)


def test_a_thread_left_running_fails_the_test(spec):
    write(
        spec,
        "spec/test_alpha.py",
        """
        import threading
        import pytest
        pytestmark = pytest.mark.claim("alpha-claim")
        STOP = threading.Event()

        def test_alpha(start_method):
            threading.Thread(target=STOP.wait, args=(30,), name="forgotten", daemon=True).start()

        def teardown_module():
            STOP.set()
        """,
    )
    result = run(spec, "--start-method", "fork", "spec/test_alpha.py")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*test left behind threads still running: forgotten*"])


def test_dev_shm_leftovers_fail_the_test_orphans_are_unlinked_and_held_ones_left(spec):
    # The orphan test is marked mpspec_alone: no other leak check, in this run
    # or another, can see its orphan appear and unlink it first.
    write(
        spec,
        "spec/test_alpha.py",
        """
        from multiprocessing import resource_tracker, shared_memory
        import pytest
        pytestmark = pytest.mark.claim("alpha-claim")
        KEEP = []

        def test_held(ctx):
            KEEP.append(ctx.Lock())
            print("HELD", KEEP[-1]._semlock.name)

        @pytest.mark.mpspec_alone  # no other check can take the orphan for its own
        def test_orphan(start_method):
            segment = shared_memory.SharedMemory(create=True, size=16)
            segment.close()  # closed, never unlinked, and nobody tracks it: a leak
            resource_tracker.unregister(segment._name, "shared_memory")
            print("ORPHAN", segment._name)
        """,
    )
    result = run(spec, "-s", "--start-method", "spawn", "spec/test_alpha.py")
    result.assert_outcomes(passed=2, errors=2)
    held = result.stdout.str().split("HELD /")[1].split()[0]
    orphan = result.stdout.str().split("ORPHAN /")[1].split()[0]
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_held*",
            f"test left behind /dev/shm entries: sem.{held} (0 unlinked now)",
            "*ERROR at teardown of test_orphan*",
            f"test left behind /dev/shm entries: {orphan} (1 unlinked now)",
        ]
    )
    assert orphan not in os.listdir("/dev/shm")  # unlinked by the check
    assert f"sem.{held}" not in os.listdir("/dev/shm")  # by its own finalizer, at exit


def test_a_dev_shm_entry_that_another_live_process_maps_is_left_alone(spec, tmp_path):
    # A process outside the test's tree (here the inner run's sibling) creates
    # and maps an entry while the test runs: it belongs to that process, not to
    # the test. Run as root, the process sees /dev/shm through a bind mount of
    # its own, as one in a container or chroot does.
    go, ready = tmp_path / "go", tmp_path / "ready"
    os.mkfifo(go)
    os.mkfifo(ready)
    name = f"mpspec-test-{uuid.uuid4().hex}"
    holder_code = (
        "import mmap, os, sys\n"
        f"open({str(go)!r}).read()\n"
        "fd = os.open(os.path.join(sys.argv[1], sys.argv[2]), os.O_RDWR | os.O_CREAT, 0o600)\n"
        "os.ftruncate(fd, 4096)\n"
        "mapped = mmap.mmap(fd, 4096)\n"
        f"open({str(ready)!r}, 'w').close()\n"
        "sys.stdin.read()\n"
    )
    shm_dir, prefix = "/dev/shm", []
    if os.geteuid() == 0 and shutil.which("unshare"):
        shm_dir = str(tmp_path / "shm")
        os.mkdir(shm_dir)
        prefix = ["unshare", "--mount", "--propagation", "private", "sh", "-c",
                  f'mount --bind /dev/shm {shm_dir} && exec "$@"', "sh"]  # fmt: skip
    holder = subprocess.Popen(
        [*prefix, sys.executable, "-c", holder_code, shm_dir, name], stdin=subprocess.PIPE
    )
    try:
        write(
            spec,
            "spec/test_alpha.py",
            f"""
            import pytest
            pytestmark = pytest.mark.claim("alpha-claim")

            def test_alpha(start_method):
                with open({str(go)!r}, "w") as f:
                    f.write("go")
                open({str(ready)!r}).read()  # the entry exists and is mapped
            """,
        )
        result = run(spec, "--start-method", "fork", "spec/test_alpha.py")
        result.assert_outcomes(passed=1)
        assert name in os.listdir("/dev/shm")
        assert holder.poll() is None
    finally:
        # Once the holder ends, the entry is an orphan until it is unlinked: no other
        # run's leak check may see it meanwhile (see the shm_name fixture of test_leakcheck).
        with leakcheck.shm_window(exclusive=True):
            holder.stdin.close()
            holder.wait(20)
            if name in os.listdir("/dev/shm"):
                os.unlink(f"/dev/shm/{name}")


def test_the_json_names_the_exception_that_failed_a_claim_test(spec, tmp_path):
    write(
        spec,
        "spec/test_alpha.py",
        """
        import pytest
        pytestmark = pytest.mark.claim("alpha-claim")

        def test_refuted(start_method):
            assert start_method == "never"

        def test_broken(start_method):
            len(None)
        """,
    )
    out = tmp_path / "claims.json"
    run(spec, "--start-method", "fork", f"--claims-json={out}", "spec/test_alpha.py")
    failures = {
        r["test"].split("::")[1]: r.get("failure") for r in json.loads(out.read_text())["results"]
    }
    assert failures == {"test_refuted[fork]": "AssertionError", "test_broken[fork]": "TypeError"}


def test_the_json_carries_a_timing_test_s_margin(spec, tmp_path):
    write(
        spec,
        "spec/test_alpha.py",
        """
        import pytest
        pytestmark = pytest.mark.claim("alpha-claim")

        @pytest.mark.timing("0.1 s given, 0.001 s needed")
        def test_timed(start_method):
            pass

        def test_untimed(start_method):
            pass
        """,
    )
    out = tmp_path / "claims.json"
    run(spec, "--start-method", "fork", f"--claims-json={out}", "spec/test_alpha.py")
    records = json.loads(out.read_text())["results"]
    timing = {r["test"].split("::")[1]: r.get("timing") for r in records}
    assert timing == {"test_timed[fork]": "0.1 s given, 0.001 s needed", "test_untimed[fork]": None}


def test_the_json_carries_what_a_test_observed(spec, tmp_path):
    write(
        spec,
        "spec/test_alpha.py",
        """
        import pytest
        pytestmark = pytest.mark.claim("alpha-claim")

        def test_alpha(start_method, observe):
            observe(f"seen under {start_method}")
        """,
    )
    out = tmp_path / "claims.json"
    run(spec, "--start-method", "fork,spawn", f"--claims-json={out}", "spec/test_alpha.py")
    records = json.loads(out.read_text())["results"]
    assert {r["start_method"]: r["observed"] for r in records} == {
        "fork": "seen under fork",
        "spawn": "seen under spawn",
    }


def test_a_failed_claim_test_reports_its_output_process_tree_and_new_dev_shm_entries(spec):
    write(
        spec,
        "spec/test_alpha.py",
        """
        import time
        import pytest
        pytestmark = pytest.mark.claim("alpha-claim")

        def test_alpha(ctx):
            lock = ctx.Lock()
            proc = ctx.Process(target=time.sleep, args=(60,))
            proc.start()
            print("OUTPUT", proc.pid, lock._semlock.name)
            assert False
        """,
    )
    result = run(spec, "--start-method", "spawn", "spec/test_alpha.py")
    result.assert_outcomes(failed=1, errors=1)  # the leak check kills the sleeper
    pid, name = result.stdout.str().split("OUTPUT ")[1].split()[:2]
    result.stdout.fnmatch_lines(
        [
            "*Captured stdout call*",
            f"OUTPUT {pid} {name}",
            "*mpspec: processes below the test when it failed*",
            f"pid {pid} (*",
            "*mpspec: new /dev/shm entries when it failed*",
            f"*sem.{name.lstrip('/')}*",
        ]
    )


def test_a_hanging_claim_test_fails_at_its_timeout_and_leaves_no_process(spec):
    write(
        spec,
        "spec/test_alpha.py",
        """
        import time
        import pytest
        pytestmark = pytest.mark.claim("alpha-claim")

        def test_alpha(ctx):
            receiver, sender = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=time.sleep, args=(60,))
            proc.start()
            print("STARTED", proc.pid, flush=True)
            receiver.recv()  # never answered: hangs until pytest-timeout fires
        """,
    )
    result = run(
        spec,
        "-s",
        "-p",
        "timeout",
        "--timeout",
        "2",
        "spec/test_alpha.py",
        "--start-method",
        "fork",
    )
    result.assert_outcomes(failed=1, errors=1)
    # It says where it hung, and that the timeout ended it.
    result.stdout.fnmatch_lines(["*>*receiver.recv()*", "*Failed: Timeout*"])
    child = int(result.stdout.str().split("STARTED ")[1].split()[0])
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)


def test_the_deliberate_hang_fails_at_its_bound_under_each_method_and_leaves_nothing():
    root = Path(__file__).resolve().parent.parent
    tag = uuid.uuid4().hex
    env = dict(os.environ, **{proctree.TAG_VAR: tag})
    started = time.monotonic()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-m",
            "hang",
            "tests/test_hang.py",
            "-p",
            "no:xdist",
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    elapsed = time.monotonic() - started
    assert result.returncode == 1, result.stdout
    assert "3 failed" in result.stdout, result.stdout
    # Counted in the tracebacks ("E   ..." lines): with $CI set, pytest's short
    # summary repeats the message in full.
    timeouts = re.findall(
        r"^E\s+Failed: Timeout \(>2\.0s\) from pytest-timeout\.$", result.stdout, re.M
    )
    assert len(timeouts) == 3
    # Each says where it hung.
    assert (
        len(re.findall(r"^>\s+proc\.join\(\)  # deliberately unbounded", result.stdout, re.M)) == 3
    )
    assert elapsed < 3 * 2 + 20
    # Nothing of the run remains (its forkserver and resource tracker end by themselves).
    assert proctree.wait_until(lambda: not proctree.tagged(tag), 5), proctree.tagged(tag)


def test_hanging_tests_are_left_out_unless_selected(pytestconfig):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "--collect-only",
            "-q",
            "tests/test_hang.py",
        ],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "3 deselected" in result.stdout


def test_a_failed_claim_test_s_report_says_how_long_each_phase_ran(spec):
    write(
        spec,
        "spec/test_alpha.py",
        """
        import time
        import pytest
        pytestmark = pytest.mark.claim("alpha-claim")

        @pytest.fixture
        def slow_setup():
            time.sleep(0.2)  # the duration measured, not a wait for something

        @pytest.fixture
        def bad_teardown():
            yield
            raise RuntimeError("clean-up trouble")

        @pytest.fixture
        def bad_setup():
            raise RuntimeError("set-up trouble")

        def test_fails(start_method, slow_setup):
            time.sleep(0.3)
            assert False

        def test_teardown_fails(start_method, bad_teardown):
            pass

        def test_setup_fails(start_method, bad_setup):
            pass

        def test_passes(start_method):
            pass
        """,
    )
    result = run(spec, "--start-method", "fork", "spec/test_alpha.py")
    result.assert_outcomes(passed=2, failed=1, errors=2)
    out = result.stdout.str()
    sections = re.findall(r"-+ mpspec: how long it ran -+\n(.*)\n", out)
    assert len(sections) == 3, out  # one per failed phase, none for the passing test
    ran_call, setup = map(float, re.search(r"ran (\S+) s \(setup (\S+) s\)\n", out).groups())
    assert ran_call >= 0.3
    assert setup >= 0.2
    assert re.search(r"\nran \d+\.\d\d s \(setup \d+\.\d\d s, teardown \d+\.\d\d s\)\n", out)
    assert re.search(r"\nsetup ran \d+\.\d\d s\n", out)


GAMMA_CLAIM = """
[[claim]]
id = "gamma-claim"
section = "Gamma"
claim = "Gamma holds."
verdict = "depends"
claim_zh = "中文。"

[[claim.fact]]
en = "Sometimes."
zh = "中文。"
source = "https://docs.python.org/3/library/multiprocessing.html"
documented = true
"""


def test_the_results_file_a_ci_run_writes_loads_through_the_loader_with_every_cell_kind(
    spec, capsys
):
    """What tox writes (``-n 2 --claims-json=results/<env>.json``), read back by the one
    loader and by the matrix command, which is CI's matrix step."""
    from mpspec.__main__ import main

    (spec.path / "spec" / "claims.toml").write_text(CATALOGUE + GAMMA_CLAIM)
    write(spec, "spec/test_gamma.py", BETA.replace("beta", "gamma"))  # not run below
    write(
        spec,
        "spec/test_alpha.py",
        """
        import pytest
        pytestmark = pytest.mark.claim("alpha-claim")

        def test_one(start_method, observe):
            observe(f"seen under {start_method}")
            if start_method == "forkserver":
                pytest.skip("n/a: not here")

        def test_two(start_method):
            if start_method != "fork":
                pytest.skip("n/a: fork only")
        """,
    )
    write(
        spec,
        "spec/test_beta.py",
        """
        import pytest
        pytestmark = pytest.mark.claim("beta-claim")

        @pytest.fixture
        def trouble(start_method):
            if start_method == "forkserver":
                raise RuntimeError("set-up trouble")

        @pytest.mark.timing("1 s given, 0.01 s needed")
        def test_beta(start_method, trouble):
            assert start_method == "never"
        """,
    )
    declare(spec, DEVIATION.replace('["spawn", "forkserver"]', '["spawn"]'))
    run(spec, "-n", "2", "--claims-json=results/py.json", "spec/test_alpha.py", "spec/test_beta.py")
    results = outcomes.load(spec.path / "results" / "py.json")
    kinds = {
        cid: tuple(summary.cells[m].kind for m in ("fork", "spawn", "forkserver"))
        for cid, summary in results.claims.items()
    }
    assert kinds == {
        "alpha-claim": ("verified", "verified", "n/a"),
        "beta-claim": ("failed", "deviates", "error"),
        "gamma-claim": ("not-run", "not-run", "not-run"),
    }
    assert results.claims["alpha-claim"].cells["spawn"].text == "verified, 1 n/a"
    assert results.header.implementation == "multiprocessing"
    beta = {r.start_method: r for r in results.results if r.claim == "beta-claim"}
    assert (beta["fork"].failure, beta["forkserver"].failure) == ("AssertionError", "RuntimeError")
    assert beta["spawn"].reason == "Beta needs fork."
    assert beta["fork"].timing == "1 s given, 0.01 s needed"
    assert {r.observed for r in results.results if r.observed} == {
        f"seen under {m}" for m in ("fork", "spawn", "forkserver")
    }
    capsys.readouterr()
    assert main(["matrix", str(spec.path / "results"), "--print"]) == 0
    text = capsys.readouterr().out
    assert "| alpha-claim | holds | ✓ ✓+n/a n/a |" in text
    assert "| beta-claim | **refuted** | ✗ ≠ E |" in text


def test_observe_records_a_categorical_value_and_a_measurement_apart(spec, tmp_path):
    write(
        spec,
        "spec/test_alpha.py",
        """
        import pytest
        pytestmark = pytest.mark.claim("alpha-claim")

        def test_alpha(start_method, observe):
            observe("at once", measured="0.31 s at once, in 0.62 s")

        def test_alpha_plain(start_method, observe):
            observe("runs")
        """,
    )
    out = tmp_path / "claims.json"
    result = run(spec, "-p", "no:xdist", "--start-method", "fork", f"--claims-json={out}")
    assert result.ret == 0, result.stdout.str()
    records = {r.test.split("::")[1]: r for r in outcomes.load(out).results}
    assert (records["test_alpha[fork]"].observed, records["test_alpha[fork]"].measured) == (
        "at once",
        "0.31 s at once, in 0.62 s",
    )
    assert (
        records["test_alpha_plain[fork]"].observed,
        records["test_alpha_plain[fork]"].measured,
    ) == (
        "runs",
        None,
    )
    assert "measured" not in json.loads(out.read_text())["results"][1]
