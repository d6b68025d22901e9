"""Each process has its own interpreter; the default start method.

Tutorial, overview: multiprocessing gives each process an interpreter of its own,
which is how it sidesteps the GIL. Python documentation (not the tutorial): the
default start method, per platform and version. Verdicts: spec/claims.toml. The
spec never relies on the default; this module only observes it, in a fresh
interpreter.
"""

import os
import sys

import pytest

from mpspec.plugin import runner
from mpspec.runtime.targets import overview


@pytest.mark.claim("separate-interpreters")
def test_child_has_its_own_pid_and_its_own_imported_modules(call_in_child):
    """A child reports a pid other than ours and imports a module that never appears in our
    sys.modules."""
    assert "mpspec.runtime.targets.overview_probe" not in sys.modules
    seen = call_in_child(overview.import_probe)
    assert seen["pid"] != os.getpid()
    assert seen["probe_imported"] is True
    assert "mpspec.runtime.targets.overview_probe" not in sys.modules


def expected_default_start_method():
    if sys.platform.startswith("linux"):
        return "fork" if sys.version_info < (3, 14) else "forkserver"
    if sys.platform in ("darwin", "win32"):
        return "spawn"
    return None


@pytest.mark.claim("default-start-method")
def test_default_start_method_is_the_platform_s_and_an_explicit_context_leaves_it(
    start_method,
):
    """A fresh interpreter that only creates an explicit context reports the platform's
    documented default start method."""
    # Elsewhere the catalogue declares the claim n/a: the documentation names no default.
    expected = expected_default_start_method()
    program = (
        "import sys; m = __import__(sys.argv[1]); m.get_context(sys.argv[2]);"
        " print(m.get_start_method(allow_none=False))"
    )
    found = runner.run_fresh_interpreter(program, start_method).strip()
    assert found == expected
