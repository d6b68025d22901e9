"""The spec is honest: it fails against broken stand-ins and passes against faithful ones.

Each module in ``tests/standins`` is multiprocessing with at most one behaviour
changed. A test here runs the spec against one of them in a fresh pytest
process (``--mp-impl``) and reads the claims JSON. These runs take about a
minute in all, so they run only with ``--selfcheck``.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STANDINS = ROOT / "tests" / "standins"

# Broken stand-ins, named broken_<claim id with underscores>.
BROKEN = sorted(p.stem for p in STANDINS.glob("broken_*.py"))
FAITHFUL = ["mp_reexport", "mp_wrapper"]


@pytest.fixture(autouse=True)
def _selfcheck_only(request):
    if not request.config.getoption("selfcheck"):
        pytest.skip("re-runs the spec against stand-ins: run with --selfcheck")


def claim_of(standin):
    return standin[len("broken_") :].replace("_", "-")


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
    proc = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert out.exists(), proc.stdout + proc.stderr
    return proc.returncode, json.loads(out.read_text())


def test_every_broken_standin_names_a_catalogue_claim_with_tests():
    assert BROKEN
    for standin in BROKEN:
        assert spec_modules_of(claim_of(standin)), standin


@pytest.mark.parametrize("standin", BROKEN)
def test_spec_fails_against_a_standin_that_breaks_its_claim(standin, tmp_path):
    claim = claim_of(standin)
    code, data = run_spec(standin, spec_modules_of(claim), tmp_path, timeout_seconds=3)
    outcomes = [r["outcome"] for r in data["results"] if r["claim"] == claim]
    assert code == pytest.ExitCode.TESTS_FAILED
    assert data["implementation"] == standin
    assert "failed" in outcomes


@pytest.mark.parametrize("standin", FAITHFUL)
def test_spec_passes_against_a_faithful_standin(standin, tmp_path):
    code, data = run_spec(standin, ["spec"], tmp_path, timeout_seconds=20)
    bad = [r["test"] for r in data["results"] if r["outcome"] in ("failed", "error")]
    assert bad == []
    assert code == pytest.ExitCode.OK
    assert data["implementation"] == standin
