"""The three rooms of mpspec stay apart (see mpspec/__init__.py).

- ``mpspec.runtime``: what the processes that the spec starts import. Stdlib
  only, so neither pytest nor psutil, and cheap to import.
- ``mpspec.plugin``: the pytest plugin and the helpers the tests call, in the
  test process. It may import anything.
- ``mpspec.tools``: ``python -m mpspec book|matrix|guards``.
- Shared by all three: the package itself, the catalogue, the declared
  deviations, the outcome rules and the command line.
"""

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import mpspec

PACKAGE = Path(mpspec.__file__).resolve().parent
ROOMS = ("mpspec.runtime", "mpspec.plugin", "mpspec.tools")
SHARED = {
    "mpspec",
    "mpspec.__main__",
    "mpspec.catalogue",
    "mpspec.expectations",
    "mpspec.outcomes",
}
FORBIDDEN = ("pytest", "_pytest", "psutil")


def modules():
    """Every module of the package, by name, found on disk (nothing is imported)."""
    found = {"mpspec"}
    for info in pkgutil.walk_packages([str(PACKAGE)], prefix="mpspec."):
        found.add(info.name)
    return found


def room_of(name):
    return next((room for room in ROOMS if name == room or name.startswith(room + ".")), None)


RUNTIME = sorted(name for name in modules() if room_of(name) == "mpspec.runtime")


def imported_by(names):
    """The top-level packages a fresh interpreter has imported after importing
    ``names``."""
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}: importlib.import_module(name)\n"
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


def top_level_imports(name):
    """The mpspec modules that module ``name`` imports at its top level (``from mpspec.x
    import y`` counts as both ``mpspec.x`` and ``mpspec.x.y``)."""
    path = PACKAGE.parent / (name.replace(".", "/") + ".py")
    if not path.exists():
        path = PACKAGE.parent / name.replace(".", "/") / "__init__.py"
    found = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("mpspec"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("mpspec"))
    return found


@pytest.mark.parametrize("module", RUNTIME)
def test_a_runtime_module_imports_neither_pytest_nor_psutil(module):
    assert imported_by([module]) & set(FORBIDDEN) == set()


def test_the_check_sees_a_forbidden_import():
    assert "psutil" in imported_by(["mpspec.plugin.proctree"])  # a plugin-side module


def test_the_plugin_package_itself_imports_nothing_so_a_child_may_import_a_helper():
    # A few child targets import mpspec.plugin.proctree lazily (psutil where /proc
    # says nothing simple): that must not import pytest into the child.
    assert imported_by(["mpspec.plugin.proctree"]) & {"pytest", "_pytest"} == set()


def test_every_module_of_the_package_is_in_one_room_or_shared():
    assert {name for name in modules() if room_of(name) is None} == SHARED


def test_the_runtime_list_is_not_empty_so_the_checks_above_check_something():
    assert {"mpspec.runtime.channel", "mpspec.runtime.targets.common"} <= set(RUNTIME)


def test_runtime_modules_never_import_the_plugin_or_the_tools_at_their_top_level():
    """A lazy import inside a function (a target imports proctree where a test asks for
    it) is allowed: it runs only in the process that calls it."""
    for name in RUNTIME:
        outside = {m for m in top_level_imports(name) if room_of(m) not in (None, "mpspec.runtime")}
        assert outside == set(), name


def test_shared_modules_import_only_the_runtime_and_each_other():
    for name in SHARED:
        outside = {
            m for m in top_level_imports(name) if room_of(m) in ("mpspec.plugin", "mpspec.tools")
        }
        assert outside == set(), name
