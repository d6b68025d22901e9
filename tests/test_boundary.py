"""The three rooms of mpspec stay apart (see mpspec/__init__.py).

- ``mpspec.runtime``: what the processes that the spec starts import. The
  standard library and the runtime's own modules only (the implementation under
  test it loads by name, through ``mpspec.runtime.impl``): so neither pytest nor
  psutil, and cheap to import.
- ``mpspec.plugin``: the pytest plugin and the helpers the tests call, in the
  test process. It may import anything.
- ``mpspec.tools``: ``python -m mpspec book|matrix|guards``.
- Shared by all three: the package itself, the catalogue, the declared
  deviations, the outcome rules and the command line.

The rules are read off the source of every module, at every import statement
wherever it stands (top level, inside a function or a class, under ``try`` or
``if``), and off ``importlib.import_module("...")`` and ``__import__("...")`` calls
with a literal name: an import inside a function runs in whichever process calls
the function, and a runtime function runs in a child.
"""

import ast
import importlib.util
import pkgutil
import subprocess
import sys
import sysconfig
import textwrap
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
# What no runtime module may load, checked in a fresh interpreter too.
FORBIDDEN = ("pytest", "_pytest", "psutil")
# The rooms that the runtime and the shared modules must not import from: the rooms above.
ABOVE = ("mpspec.plugin", "mpspec.tools")
# The one exception to the room rule, by module: what it may import from above, and why.
# ``python -m mpspec`` is the tools' command line: each command imports its tool inside
# the function that runs it, so that importing mpspec.__main__ imports no tool
# (test_the_command_line_imports_its_tools_only_when_a_command_runs checks that).
ENTRY_POINT_IMPORTS = {"mpspec.__main__": {"mpspec.tools"}}


def modules():
    """Every module of the package, by name, found on disk (nothing is imported)."""
    found = {"mpspec"}
    for info in pkgutil.walk_packages([str(PACKAGE)], prefix="mpspec."):
        found.add(info.name)
    return found


def room_of(name):
    return next((room for room in ROOMS if name == room or name.startswith(room + ".")), None)


RUNTIME = sorted(name for name in modules() if room_of(name) == "mpspec.runtime")


def source_of(name):
    """The path of module ``name``'s source, and whether it is a package's ``__init__``."""
    path = PACKAGE.parent / (name.replace(".", "/") + ".py")
    if path.exists():
        return path, False
    return PACKAGE.parent / name.replace(".", "/") / "__init__.py", True


def imports_in(source, name="", is_package=False):
    """``(module, line)`` for every module that ``source`` (the text of module ``name``)
    imports, wherever the statement stands.

    ``from a import b`` counts as both ``a`` and ``a.b`` (``b`` may be a module); a
    relative import is resolved against ``name``. A call to ``import_module`` or
    ``__import__`` with a literal string for its first argument counts too.
    """
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                parts = name.split(".")
                base = parts[: len(parts) - node.level + is_package]
                module = ".".join(base + ([module] if module else []))
            found.append((module, node.lineno))
            found.extend((f"{module}.{alias.name}", node.lineno) for alias in node.names)
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            first = node.args[0]
            if (
                called in ("import_module", "__import__")
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
            ):
                found.append((first.value, node.lineno))
    return found


def imports(name):
    """``(module, line)`` for every import in mpspec module ``name`` (see :func:`imports_in`)."""
    path, is_package = source_of(name)
    return imports_in(path.read_text(encoding="utf-8"), name, is_package)


def in_the_stdlib_directory(top):
    """Whether top-level module ``top`` is built in, frozen, or found in the standard
    library's directory (and not in a site-packages or dist-packages below it)."""
    spec = importlib.util.find_spec(top)
    if spec is None or spec.origin is None:  # not installed, or a namespace package
        return False
    if spec.origin in ("built-in", "frozen"):
        return True
    path = Path(spec.origin).resolve()
    stdlib = Path(sysconfig.get_paths()["stdlib"]).resolve()
    return stdlib in path.parents and not {"site-packages", "dist-packages"} & set(path.parts)


def is_stdlib(name):
    """Whether module ``name`` belongs to the standard library: ``sys.stdlib_module_names``
    says so (3.10+), else (3.9, PyPy 3.9) where it is installed does."""
    top = name.partition(".")[0]
    names = getattr(sys, "stdlib_module_names", None)
    if names is not None:
        return top in names
    return in_the_stdlib_directory(top)


def imported_by(names):
    """The modules a fresh interpreter has imported after importing ``names``."""
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}: importlib.import_module(name)\n"
        "print(' '.join(sorted(sys.modules)))"
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


def top_level_packages(modules):
    return {m.partition(".")[0] for m in modules}


@pytest.mark.parametrize("module", RUNTIME)
def test_a_runtime_module_imports_only_the_standard_library_and_the_runtime(module):
    """Anywhere in its source. The implementation under test is loaded by a name that
    only the environment knows (mpspec.runtime.impl), never by a literal import."""
    outside = [
        f"line {line}: {name}"
        for name, line in imports(module)
        if not (is_stdlib(name) or name == "mpspec" or room_of(name) == "mpspec.runtime")
    ]
    assert outside == [], module


@pytest.mark.parametrize("module", RUNTIME)
def test_a_runtime_module_imports_neither_pytest_nor_psutil(module):
    """What a fresh interpreter has loaded once it imported the module: this sees what the
    source does not say, e.g. a standard-library module that imports psutil where it
    is installed, or a name built at run time."""
    assert top_level_packages(imported_by([module])) & set(FORBIDDEN) == set()


def test_the_check_sees_a_forbidden_import():
    assert "psutil" in top_level_packages(imported_by(["mpspec.plugin.proctree"]))


def test_the_import_reader_sees_every_import_wherever_it_stands():
    source = textwrap.dedent(
        """
        import os, json as j
        from mpspec.runtime import channel
        from . import sibling
        from .. import uncle

        def f():
            import psutil

        class C:
            def g(self):
                try:
                    from mpspec.plugin.proctree import pin_to
                except ImportError:
                    pass

        if True:
            importlib.import_module("mpspec.tools.book")
            __import__("pytest")
            importlib.import_module(name)  # not a literal: the implementation under test
        """
    )
    found = {name for name, _ in imports_in(source, "mpspec.runtime.targets.gil")}
    assert found == {
        "os",
        "json",
        "mpspec.runtime",
        "mpspec.runtime.channel",
        "mpspec.runtime.targets",
        "mpspec.runtime.targets.sibling",
        "mpspec.runtime.uncle",
        "psutil",
        "mpspec.plugin.proctree",
        "mpspec.plugin.proctree.pin_to",
        "mpspec.tools.book",
        "pytest",
    }
    in_a_package = {name for name, _ in imports_in("from . import x", "mpspec.runtime", True)}
    assert in_a_package == {"mpspec.runtime", "mpspec.runtime.x"}


def test_the_stdlib_rule_tells_the_standard_library_from_what_pip_installs():
    assert all(map(is_stdlib, ("os", "os.path", "ctypes", "select", "sys", "_thread")))
    assert not any(map(is_stdlib, ("psutil", "pytest", "_pytest", "mpspec", "no_such_module")))


@pytest.mark.skipif(
    not hasattr(sys, "stdlib_module_names"), reason="n/a: sys.stdlib_module_names is 3.10+"
)
def test_the_fallback_for_python_3_9_agrees_with_sys_stdlib_module_names():
    """Where both exist, the directory rule that 3.9 and PyPy 3.9 use gives the same
    answer as sys.stdlib_module_names for every module the runtime imports, and for
    what the test process has installed."""
    names = {name.partition(".")[0] for module in RUNTIME for name, _ in imports(module)}
    names -= {"mpspec"}
    names |= {"psutil", "pytest", "_pytest", "pluggy", "packaging"}
    disagree = {n for n in names if in_the_stdlib_directory(n) != (n in sys.stdlib_module_names)}
    assert disagree == set()


def test_every_module_of_the_package_is_in_one_room_or_shared():
    assert {name for name in modules() if room_of(name) is None} == SHARED


def test_the_runtime_list_is_not_empty_so_the_checks_above_check_something():
    assert {"mpspec.runtime.channel", "mpspec.runtime.targets.common"} <= set(RUNTIME)


def test_runtime_modules_never_import_the_plugin_or_the_tools_at_their_top_level():
    """Nor anywhere else: a function that imports a plugin module would import it (and
    pytest or psutil with it) in the child that runs the function."""
    for name in RUNTIME:
        above = [(m, line) for m, line in imports(name) if room_of(m) in ABOVE]
        assert above == [], name


def test_shared_modules_import_only_the_runtime_and_each_other():
    """From mpspec, that is: nothing from the rooms above, at any depth, but for the
    command line's tools (ENTRY_POINT_IMPORTS)."""
    for name in SHARED:
        allowed = ENTRY_POINT_IMPORTS.get(name, set())
        above = [
            (m, line)
            for m, line in imports(name)
            if room_of(m) in ABOVE and not any(m == a or m.startswith(a + ".") for a in allowed)
        ]
        assert above == [], name


def test_the_command_line_imports_its_tools_only_when_a_command_runs():
    loaded = imported_by(["mpspec.__main__"])
    assert {m for m in loaded if room_of(m) in ABOVE} == set()
