"""The mpspec pytest plugin's entry point: options, the start-method matrix, the
catalogue check. It registers the fixtures (:mod:`mpspec.plugin.fixtures`), the
claims report (:mod:`mpspec.plugin.reporting`) and the leak check
(:mod:`mpspec.plugin.leakcheck`) when pytest is configured.

Options (each also has an ini-file equivalent, see ``pytest --help``):

``--mp-impl MODULE``      the implementation under test (env ``MPSPEC_IMPL``)
``--start-method M``      restrict claim tests to some start methods
``--claims-json PATH``    write the claims results as JSON
"""

import gc
import inspect
import os
from pathlib import Path

import pytest

from mpspec import catalogue, expectations, outcomes
from mpspec.plugin import applicability, bytecode, fixtures, leakcheck, reporting
from mpspec.plugin.session import KEY, State
from mpspec.runtime import impl

# The spec's shared test-side helper asserts like the tests do: with pytest's
# explanations in a failure (it is imported later, by the spec modules).
pytest.register_assert_rewrite("mpspec.plugin.pickled")


def pytest_addoption(parser):
    group = parser.getgroup("mpspec", "mpspec: executable specification of multiprocessing")
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
    group.addoption(
        "--claims-json",
        dest="claims_json",
        metavar="PATH",
        help="write every claim test's outcome, with the environment, as JSON to PATH",
    )
    parser.addini("mpspec_impl", "module implementing the multiprocessing API to test", default="")
    parser.addini(
        "mpspec_start_methods",
        "start methods that claim tests run under",
        type="args",
        default=list(impl.START_METHODS),
    )
    parser.addini(
        "mpspec_workers",
        "pytest-xdist workers when the command line does not choose (-n): auto, or a "
        "number; empty for serial",
        default="",
    )
    parser.addini(
        "mpspec_catalogue",
        "path of the claim catalogue, relative to the rootdir",
        default="spec/claims.toml",
    )


# What on a command line chooses how to distribute the tests, or asks for what
# pytest-xdist cannot honour in a worker (a debugger, uncaptured output).
_CHOOSING_LONG = {"--numprocesses", "--dist", "--tx", "--pdb", "--trace", "--capture"}
_CHOOSING_SHORT = {"n", "d", "s"}
_SHORT_WITH_VALUE = set("kmpcoWrn")  # the rest of "-kfoo" is a value, not flags


def chooses_workers(args):
    """Whether ``args`` (a pytest command line) choose how to run the tests: ``-n``,
    ``--dist``, ``--tx``, a debugger, ``-s`` (alone or among short flags: ``-xs``)."""
    for arg in args:
        if arg == "--":
            break
        if arg.startswith("--"):
            if arg.partition("=")[0] in _CHOOSING_LONG:
                return True
        elif arg.startswith("-"):
            for flag in arg[1:]:
                if flag in _CHOOSING_SHORT:
                    return True
                if flag in _SHORT_WITH_VALUE:
                    break
    return False


def pytest_load_initial_conftests(early_config, parser, args):
    """Add ``-n WORKERS`` (ini ``mpspec_workers``) where pytest-xdist is installed and
    the command line does not choose, as pytest's documentation adds an option from
    a plugin. A run without xdist, or with ``-p no:xdist``, stays serial instead of
    failing on an unknown ``-n``."""
    workers = early_config.getini("mpspec_workers").strip()
    if not workers or os.environ.get("PYTEST_XDIST_WORKER"):
        return
    if early_config.pluginmanager.has_plugin("xdist") and not chooses_workers(args):
        args[:] = ["-n", workers, *args]


def _selected_methods(config):
    raw = config.getoption("start_methods") or config.getini("mpspec_start_methods")
    methods = [m.strip() for item in raw for m in item.split(",") if m.strip()]
    unknown = [m for m in methods if m not in impl.START_METHODS]
    if unknown or not methods:
        raise pytest.UsageError(
            f"--start-method: unknown {', '.join(unknown) or 'empty value'}; "
            f"choose from {', '.join(impl.START_METHODS)}"
        )
    return [m for m in impl.START_METHODS if m in methods]


def _check_rootdir(config):
    """Refuse a run whose rootdir pytest chose from ``--claims-json PATH``'s PATH.

    pytest picks the rootdir and ini file before it loads any plugin, so it does
    not know yet that ``--claims-json`` takes a value: it reads an existing PATH
    as a test path. Without test paths on the command line, that PATH then
    decides the rootdir, and the project's ini file, catalogue and conftest are
    not found. ``--claims-json=PATH`` is one word and cannot be misread.
    """
    if config.inipath is not None:
        return  # the rootdir came from an ini file, not from a misread path
    args = [str(a) for a in config.invocation_params.args]
    for flag, value in zip(args, args[1:]):
        path = Path(config.invocation_params.dir, value)
        if flag == "--claims-json" and path.exists() and config.rootpath in path.parents:
            raise pytest.UsageError(
                f"pytest took {value} for a test path while it chose the rootdir "
                f"({config.rootpath}): it reads the command line before it loads the mpspec "
                f"plugin. Write --claims-json={value}, or name the tests to run."
            )


def pytest_configure(config):
    _check_rootdir(config)
    if bytecode.needed() and not hasattr(config, "workerinput"):
        bytecode.compile_package()
    config.addinivalue_line(
        "markers", "claim(id): the catalogue claim (spec/claims.toml) that this test verifies"
    )
    config.addinivalue_line(
        "markers",
        "timing(margin): the verdict rests on a timing threshold or a probability; margin "
        "says how far a faithful implementation is from it (shown in the claims JSON)",
    )
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
    # Every process the spec starts reads the name from here: fork, spawn and
    # forkserver children all inherit this process's environment.
    os.environ[impl.ENV_VAR] = name
    path = Path(config.rootpath, config.getini("mpspec_catalogue"))
    try:
        claims = catalogue.load(path) if path.exists() else {}
    except catalogue.CatalogueError as exc:
        raise pytest.UsageError(f"invalid claim catalogue:\n{exc}") from None
    try:
        declared = expectations.load(path.parent, name, claims or None)
    except expectations.ExpectationsError as exc:
        raise pytest.UsageError(f"invalid expectations:\n{exc}") from None
    version = getattr(module, "__version__", None)
    deviations = [d for d in declared if d.applies_here(version=version)]
    state = State(name, module, _selected_methods(config), path, claims, deviations)
    config.stash[KEY] = state
    config.pluginmanager.register(reporting.Reporter(config, state), "mpspec-reporter")
    for name, module in {
        "reporting": reporting,
        "fixtures": fixtures,
        "leakcheck": leakcheck,
        "applicability": applicability,
    }.items():
        if not config.pluginmanager.has_plugin(f"mpspec-{name}"):
            config.pluginmanager.register(module, f"mpspec-{name}")


def pytest_generate_tests(metafunc):
    marker = metafunc.definition.get_closest_marker("claim")
    if marker is None:
        return
    if len(marker.args) != 1 or not isinstance(marker.args[0], str):
        pytest.fail(
            f"{metafunc.definition.nodeid}: use @pytest.mark.claim('claim-id')", pytrace=False
        )
    if "start_method" not in metafunc.fixturenames:
        pytest.fail(
            f"{metafunc.definition.nodeid}: a claim test runs under every start method; "
            "it must use the `ctx` or `start_method` fixture",
            pytrace=False,
        )
    state = metafunc.config.stash[KEY]
    available = state.module.get_all_start_methods()
    params = [
        pytest.param(
            method,
            id=method,
            marks=()
            if method in available
            else pytest.mark.skip(reason=f"n/a: start method {method!r} does not exist here"),
        )
        for method in state.methods
    ]
    # Module scope: a module-scoped fixture may depend on the start method (a pool
    # shared by read-only tests, say), and tests of one method run together.
    metafunc.parametrize("start_method", params, scope="module")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session, config, items):
    state = config.stash[KEY]
    spec_dir = state.catalogue_path.parent
    tested = {}
    used = set()
    problems = []
    collected_files = set()
    functions = {}
    expectations_file = Path(
        os.path.relpath(expectations.path_for(spec_dir, state.impl_name), config.rootpath)
    ).as_posix()
    for item in items:
        path = item.path
        collected_files.add(path)
        marker = item.get_closest_marker("claim")
        if marker is None:
            if spec_dir in path.parents:
                problems.append(f"{item.nodeid}: a spec test must name its claim (mark claim)")
            continue
        claim_id = marker.args[0]
        method = item.callspec.params["start_method"]
        function = item.function
        functions.setdefault(
            (path, function.__name__),
            outcomes.SpecTest(
                claim_id,
                function.__name__,
                inspect.getdoc(function) or "",
                Path(os.path.relpath(path, config.rootpath)).as_posix(),
                # The first decorator's line (the def's where there is none).
                function.__code__.co_firstlineno,
            ),
        )
        tested.setdefault(claim_id, []).append(item.nodeid)
        item.user_properties.append(("mpspec_claim", claim_id))
        item.user_properties.append(("mpspec_start_method", method))
        timing = item.get_closest_marker("timing")
        if timing is not None:
            item.user_properties.append(("mpspec_timing", timing.args[0]))
        for deviation in state.deviations:
            if deviation.matches(claim_id, method, item.name):
                used.add(deviation)
                # The report reads what happens instead from here, as data (user
                # properties travel to the xdist controller); the xfail reason is
                # only pytest's words for a person (XPASS(strict) shows it).
                item.user_properties.append(("mpspec_deviation", deviation.actual))
                item.add_marker(
                    pytest.mark.xfail(
                        strict=True,
                        raises=deviation.exceptions(),
                        reason=f"declared in {expectations_file}: {deviation.actual}",
                    )
                )
                break
    state.tests = list(functions.values())
    complete = set(spec_dir.glob("test_*.py")) <= collected_files
    problems += catalogue.check_coverage(state.claims, tested, complete and bool(tested))
    if complete and set(state.methods) == set(impl.START_METHODS):
        problems += [
            f"{expectations.path_for(spec_dir, state.impl_name).name}: the deviation of "
            f"{d.claim} [{', '.join(d.start_methods)}] matches no test (stale?)"
            for d in state.deviations
            if d not in used
        ]
    if problems:
        raise pytest.UsageError("claim catalogue check failed:\n  " + "\n  ".join(problems))


def pytest_collection_finish(session):
    # The leak check collects garbage after every claim test. Moving what exists
    # now (pytest, the collected tests) to the permanent generation keeps those
    # collections to what the tests themselves made: about 1 ms instead of tens.
    if hasattr(gc, "freeze"):  # CPython; PyPy's collector has no generations to freeze
        gc.freeze()
