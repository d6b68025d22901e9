"""What one pytest session tests: the implementation, the start methods, the catalogue
and the deviations declared for the implementation, built once when pytest is configured
and kept in ``config.stash[KEY]``. The options and ini keys that choose them are this
module's:

``--mp-impl MODULE``   (ini ``mpspec_impl``, env ``MPSPEC_IMPL``) the implementation under test
``--start-method M``   (ini ``mpspec_start_methods``) the start methods claim tests run under
ini ``mpspec_catalogue``  where the catalogue is; its folder is the spec's (tests, expectations)
"""

import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from mpspec import catalogue, expectations
from mpspec.runtime import impl

KEY = pytest.StashKey()


@dataclass
class State:
    """What one pytest session tests: the implementation, methods and catalogue."""

    impl_name: str
    module: object
    methods: list
    catalogue_path: Path
    claims: dict
    deviations: list
    # The claim tests this process collected, one per test function (the xdist
    # controller collects none: its workers do), as outcomes.SpecTest records.
    tests: list = field(default_factory=list)

    @property
    def expectations_path(self):
        """Where the expectations of the implementation under test are (or would be)."""
        return expectations.path_for(self.catalogue_path.parent, self.impl_name)


def option_group(parser):
    """The ``mpspec`` group of ``pytest --help``, which every module of the plugin adds to."""
    return parser.getgroup("mpspec", "mpspec: executable specification of multiprocessing")


def pytest_addoption(parser):
    group = option_group(parser)
    group.addoption(
        "--mp-impl",
        dest="mp_impl",
        metavar="MODULE",
        help="module implementing the multiprocessing API to test "
        f"(default: ${impl.ENV_VAR}, then ini mpspec_impl, then {impl.DEFAULT})",
    )
    group.addoption(
        "--start-method",
        dest="start_methods",
        action="append",
        metavar="METHOD",
        help="run claim tests only under METHOD (fork, spawn, forkserver); "
        "repeat or comma-separate for several (default: ini mpspec_start_methods, then all)",
    )
    parser.addini("mpspec_impl", "module implementing the multiprocessing API to test", default="")
    parser.addini(
        "mpspec_start_methods",
        "start methods that claim tests run under",
        type="args",
        default=list(impl.START_METHODS),
    )
    parser.addini(
        "mpspec_catalogue",
        "path of the claim catalogue, relative to the rootdir",
        default="spec/claims.toml",
    )


def pytest_configure(config):
    name, module = load_implementation(config)
    path, claims = load_catalogue(config)
    deviations = load_deviations(path, name, module, claims)
    config.stash[KEY] = State(name, module, selected_methods(config), path, claims, deviations)


def load_implementation(config):
    """The implementation under test, ``(name, module)``, its name exported to
    ``MPSPEC_IMPL``: every process the spec starts reads it from there (fork, spawn and
    forkserver children all inherit this process's environment)."""
    name = (
        config.getoption("mp_impl")
        or os.environ.get(impl.ENV_VAR)
        or config.getini("mpspec_impl")
        or impl.DEFAULT
    )
    try:
        module = impl.load(name)
    except ImportError as exc:
        raise pytest.UsageError(f"--mp-impl {name}: cannot import it: {exc}") from None
    os.environ[impl.ENV_VAR] = name
    return name, module


def load_catalogue(config):
    """The catalogue's path (ini ``mpspec_catalogue``) and its claims (none where the
    file does not exist: a project of harness tests only)."""
    path = Path(config.rootpath, config.getini("mpspec_catalogue"))
    try:
        return path, (catalogue.load(path) if path.exists() else {})
    except catalogue.CatalogueError as exc:
        raise pytest.UsageError(f"invalid claim catalogue:\n{exc}") from None


def load_deviations(catalogue_path, name, module, claims):
    """The deviations declared for implementation ``name`` beside the catalogue that apply
    to this interpreter, platform and the module's version."""
    try:
        declared = expectations.load(catalogue_path.parent, name, claims or None)
    except expectations.ExpectationsError as exc:
        raise pytest.UsageError(f"invalid expectations:\n{exc}") from None
    version = getattr(module, "__version__", None)
    return [d for d in declared if d.applies_here(version=version)]


def selected_methods(config):
    """The start methods claim tests run under (``--start-method``, then ini), in the
    canonical order."""
    raw = config.getoption("start_methods") or config.getini("mpspec_start_methods")
    methods = [m.strip() for item in raw for m in item.split(",") if m.strip()]
    unknown = [m for m in methods if m not in impl.START_METHODS]
    if unknown or not methods:
        raise pytest.UsageError(
            f"--start-method: unknown {', '.join(unknown) or 'empty value'}; "
            f"choose from {', '.join(impl.START_METHODS)}"
        )
    return [m for m in impl.START_METHODS if m in methods]
