"""The runtime stays apart: what child processes and parent programs import is stdlib only.

Every process the spec starts (fork, spawn and forkserver children, parent
programs, the subreaper wrapper) imports some of mpspec's runtime modules. They
must stay cheap to import and must work where pytest and psutil are absent, so
they import neither; the pytest plugin and the tools may import anything.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "mpspec"

# What processes started by the spec import. The rest of mpspec is the pytest plugin
# (plugin, leakcheck, pools, proctree, runner, report) and the tools (book, matrix,
# guards, catalogue, expectations, __main__).
RUNTIME = [
    "mpspec",
    "mpspec.channel",
    "mpspec.children",
    "mpspec.impl",
    "mpspec.import_time_lock",
    "mpspec.machine",
    "mpspec.preloaded",
    "mpspec.probe",
    "mpspec.procfs",
    "mpspec.reaper",
    "mpspec.scenarios",
    "mpspec.versions",
    "mpspec.workloads",
]
FORBIDDEN = ("pytest", "_pytest", "psutil")


def imported_by(modules):
    """The top-level packages a fresh interpreter has imported after importing
    ``modules``."""
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(' '.join(sorted({m.partition('.')[0] for m in sys.modules})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PACKAGE.parent,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return set(out.split())


@pytest.mark.parametrize("module", RUNTIME)
def test_a_runtime_module_imports_neither_pytest_nor_psutil(module):
    assert imported_by([module]) & set(FORBIDDEN) == set()


def test_the_check_sees_a_forbidden_import():
    assert "psutil" in imported_by(["mpspec.proctree"])  # a plugin-side module


def test_every_module_of_the_package_is_placed_on_one_side():
    modules = {f"mpspec.{p.stem}" for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    plugin_and_tools = {
        "mpspec.plugin",
        "mpspec.leakcheck",
        "mpspec.pools",
        "mpspec.proctree",
        "mpspec.runner",
        "mpspec.report",
        "mpspec.pickled",
        "mpspec.book",
        "mpspec.matrix",
        "mpspec.guards",
        "mpspec.catalogue",
        "mpspec.expectations",
        "mpspec.__main__",
    }
    assert modules - {"mpspec"} == (set(RUNTIME) - {"mpspec"}) | plugin_and_tools


def test_runtime_modules_never_import_plugin_side_modules_at_their_top_level():
    """A lazy import inside a function (children imports proctree where a test asks for
    it) is allowed: it runs only in the process that calls it."""
    plugin_side = {"plugin", "leakcheck", "pools", "proctree", "runner", "report"}
    for name in RUNTIME[1:]:
        tree = ast.parse((PACKAGE / f"{name.split('.')[1]}.py").read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and node.module == "mpspec":
                assert not {alias.name for alias in node.names} & plugin_side, name
