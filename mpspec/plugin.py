"""The mpspec pytest plugin: options, the start-method matrix, the catalogue check,
the leak check, fixtures, and the claims report.

Options (each also has an ini-file equivalent, see ``pytest --help``):

``--mp-impl MODULE``      the implementation under test (env ``MPSPEC_IMPL``)
``--start-method M``      restrict claim tests to some start methods
``--claims-json PATH``    write the claims results as JSON
"""

import gc
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from mpspec import catalogue, channel, expectations, impl, leakcheck, pools, proctree, runner
from mpspec import report as report_mod

# The spec's shared test-side helper asserts like the tests do: with pytest's
# explanations in a failure (it is imported later, by the spec modules).
pytest.register_assert_rewrite("mpspec.pickled")

_STATE = pytest.StashKey()


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
        "mpspec_catalogue",
        "path of the claim catalogue, relative to the rootdir",
        default="spec/claims.toml",
    )


@dataclass
class _State:
    """What one pytest session tests: the implementation, methods and catalogue."""

    impl_name: str
    module: object
    methods: list
    catalogue_path: Path
    claims: dict
    deviations: list


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
    state = _State(name, module, _selected_methods(config), path, claims, deviations)
    config.stash[_STATE] = state
    config.pluginmanager.register(_Reporter(config, state), "mpspec-reporter")
    if not config.pluginmanager.has_plugin("mpspec-leakcheck"):
        config.pluginmanager.register(leakcheck, "mpspec-leakcheck")


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
    state = metafunc.config.stash[_STATE]
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
    state = config.stash[_STATE]
    spec_dir = state.catalogue_path.parent
    tested = {}
    used = set()
    problems = []
    collected_files = set()
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
        tested.setdefault(claim_id, []).append(item.nodeid)
        item.user_properties.append(("mpspec_claim", claim_id))
        item.user_properties.append(("mpspec_start_method", method))
        timing = item.get_closest_marker("timing")
        if timing is not None:
            item.user_properties.append(("mpspec_timing", timing.args[0]))
        for deviation in state.deviations:
            if deviation.matches(claim_id, method, item.name):
                used.add(deviation)
                item.add_marker(
                    pytest.mark.xfail(
                        strict=True,
                        raises=deviation.exceptions(),
                        reason=f"deviates (expected): {deviation.actual}",
                    )
                )
                break
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


# --- fixtures -------------------------------------------------------------


@pytest.fixture
def start_method():
    """The start method of a claim test (the plugin parametrizes claim tests with it)."""
    raise pytest.UsageError("start_method is only available to tests marked with claim(...)")


@pytest.fixture(scope="session")
def mp_impl(pytestconfig):
    """The implementation module under test (``--mp-impl``)."""
    return pytestconfig.stash[_STATE].module


@pytest.fixture
def ctx(mp_impl, start_method):
    """An explicit context of the implementation under test for this start method."""
    return mp_impl.get_context(start_method)


@pytest.fixture
def call_in_child(ctx):
    """``call_in_child(target, *args, **kwargs)`` runs ``target(*args, conn=..., **kwargs)``
    in a child process of this context and returns the one object the child sends."""

    def call(target, *args, **kwargs):
        receiver, sender = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=target, args=args, kwargs=dict(kwargs, conn=sender))
        proc.start()
        sender.close()
        try:
            if not receiver.poll(channel.TIMEOUT):
                raise AssertionError(f"{target.__name__} sent nothing within {channel.TIMEOUT}s")
            try:
                return receiver.recv()
            except EOFError:
                # Every copy of the sending end closed without a word: the
                # target never ran in a process of its own.
                raise AssertionError(f"{target.__name__} ended without sending") from None
        finally:
            receiver.close()
            proc.join(channel.TIMEOUT)
            proctree.stop(proc, channel.TIMEOUT)

    return call


@pytest.fixture
def observe(request):
    """``observe(value)`` records what this configuration did, as a short text ("runs",
    "TypeError in start()"): the claims JSON carries it in the test's record as ``observed``,
    so that a run shows what happens, not only that it was verified."""

    def record(value):
        request.node.user_properties.append(("mpspec_observed", str(value)))

    return record


@pytest.fixture(scope="module")
def _module_slot_pool(request, mp_impl, start_method):
    size = getattr(request.module, "SLOT_POOL_SIZE", 1)
    shared = pools.SlotPool(mp_impl.get_context(start_method), workers=size, slots=size)
    yield shared
    shared.close()


@pytest.fixture
def slot_pool(_module_slot_pool):
    """A pool of the module's ``SLOT_POOL_SIZE`` workers (default 1) for this start method,
    shared by the module's tests (see mpspec.pools): idle and with every event clear when
    the test starts, and required to be idle again when it ends."""
    with _module_slot_pool.for_one_test():
        yield _module_slot_pool


@pytest.fixture
def parent_program(start_method, pytestconfig):
    """Runs parent programs (mpspec.scenarios) and kills whatever they leave behind."""
    programs = []

    def start(scenario, *options, subreaper=True, script=False):
        program = runner.ParentProgram(pytestconfig.stash[_STATE].impl_name, start_method)
        programs.append(program)
        return program.start(scenario, *options, subreaper=subreaper and not script, script=script)

    yield start
    leftovers = [proc for program in programs for proc in program.close()]
    if leftovers:
        pytest.fail(
            "a parent program left processes behind (killed now):\n" + proctree.describe(leftovers),
            pytrace=False,
        )
    warnings = [line for program in programs for line in program.tracker_warnings]
    if warnings:
        pytest.fail("resource-tracker warnings:\n" + "\n".join(warnings), pytrace=False)


# --- report ---------------------------------------------------------------


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Name, in a failed claim test's report, the exception that failed it: an
    AssertionError is the behaviour refuted, anything else is the test's own trouble."""
    outcome = yield
    report = outcome.get_result()
    if report.failed and call.excinfo is not None and item.get_closest_marker("claim"):
        report.user_properties.append((f"mpspec_failure_{call.when}", call.excinfo.typename))


def _outcome(report):
    """The outcome a report phase contributes to the claims table, or None."""
    if report.when == "setup" and not report.passed:
        return "error" if report.failed else "skipped"
    if report.when == "call":
        return "deviates" if hasattr(report, "wasxfail") else report.outcome
    if report.when == "teardown" and report.failed:
        return "error"  # e.g. the leak check failed after the test passed
    return None


class _Reporter:
    """Collects claim-test outcomes; prints the claims table and writes the JSON."""

    def __init__(self, config, state):
        self.config = config
        self.state = state
        self.records = {}
        self.is_worker = hasattr(config, "workerinput")  # an xdist worker

    def pytest_runtest_logreport(self, report):
        props = dict(report.user_properties)
        outcome = _outcome(report)
        if "mpspec_claim" not in props or outcome is None:
            return
        reason = None
        if outcome == "skipped" and isinstance(report.longrepr, tuple):
            reason = report.longrepr[2].removeprefix("Skipped: ")
        elif outcome == "deviates":
            reason = report.wasxfail.removeprefix("deviates (expected): ")
        previous = self.records.get(report.nodeid)
        if previous is not None and previous["outcome"] == "failed":
            return  # a failed test stays failed, whatever its teardown adds
        claim = self.state.claims.get(props["mpspec_claim"])
        self.records[report.nodeid] = report_mod.record(
            props["mpspec_claim"],
            props["mpspec_start_method"],
            report.nodeid,
            outcome,
            claim.verdict if claim else None,
            reason,
            failure=props.get(f"mpspec_failure_{report.when}"),
            timing=props.get("mpspec_timing"),
            observed=props.get("mpspec_observed"),
        )

    def pytest_sessionfinish(self, session):
        path = self.config.getoption("claims_json")
        if path and not self.is_worker:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            Path(path).write_text(
                report_mod.to_json(
                    list(self.records.values()), self.state.claims, self.state.impl_name
                ),
                encoding="utf-8",
            )

    def pytest_terminal_summary(self, terminalreporter):
        if not self.records or self.is_worker:
            return
        env = report_mod.environment(self.state.impl_name)
        terminalreporter.write_sep("=", "mpspec claims")
        title = (
            f"{self.state.impl_name} on {env['python_implementation']} {env['python']} "
            f"({env['sys_platform']}). verdict: what the spec concludes about the tutorial; "
            "verified: this run confirmed the behaviour the spec asserts."
        )
        records = list(self.records.values())
        for line in report_mod.table(records, self.state.claims, title):
            terminalreporter.write_line(line)
        unverified = report_mod.not_applicable(records)
        if unverified:
            terminalreporter.write_line("not verified by this run (n/a), and why:")
            for line in unverified:
                terminalreporter.write_line(f"  {line}")
        deviating = report_mod.not_applicable(records, "deviates")
        if deviating:
            terminalreporter.write_line(
                f"expected deviations of {self.state.impl_name} (declared in "
                f"{expectations.path_for('spec', self.state.impl_name)}), and what happens:"
            )
            for line in deviating:
                terminalreporter.write_line(f"  {line}")
