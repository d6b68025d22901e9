"""mpspec's bytecode, compiled once per run for the processes the spec starts.

Spawn and forkserver children, forkservers and parent programs import modules
of :mod:`mpspec.runtime`, and the test process's xdist workers import the rest.
Where ``PYTHONDONTWRITEBYTECODE`` is set, no interpreter writes a bytecode cache,
so with an editable install (which, unlike a wheel's, pip does not compile)
every one of those processes compiled each module it imported from source
again: a few milliseconds a child, hundreds of children a run
(benchmarks/README.md, "What a child costs"). The plugin compiles the package
into its ``__pycache__`` folders once, at the start of the run, as pip does
for every package it installs; the children only read them. Modules already
compiled are skipped, and a package folder that cannot be written is left as
it is.
"""

import sys
from pathlib import Path

import mpspec

PACKAGE = Path(mpspec.__file__).parent


def compile_package(package=PACKAGE):
    """Compile ``package``'s modules whose bytecode cache is missing or stale, silently.

    Returns whether every module now has a current cache (False where the folder
    cannot be written, say)."""
    import compileall

    return bool(compileall.compile_dir(str(package), quiet=2))


def needed():
    """Whether this run's processes would compile mpspec from source: no one writes caches."""
    return bool(sys.flags.dont_write_bytecode)


def pytest_configure(config):
    # Once per run: the xdist controller compiles before its workers start.
    if needed() and not hasattr(config, "workerinput"):
        compile_package()
