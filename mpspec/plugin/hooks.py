"""The claim tests: the ``claim`` and ``timing`` markers, the start-method matrix (each
claim test runs once per start method) and the catalogue check (every spec test names a
claim of the catalogue, every claim has a test, every declared deviation matches one).

The plugin's other modules, and the options each owns, are listed in
:mod:`mpspec.plugin`; what the session tests is :mod:`mpspec.plugin.session`'s.
"""

import gc
import inspect
import os
from pathlib import Path

import pytest

from mpspec import catalogue, expectations, outcomes
from mpspec.plugin.session import KEY
from mpspec.runtime import impl

# The spec's shared test-side helper asserts like the tests do: with pytest's
# explanations in a failure (it is imported later, by the spec modules).
pytest.register_assert_rewrite("mpspec.plugin.pickled")


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        f"claim(id): the catalogue claim ({config.getini('mpspec_catalogue')}) that this "
        "test verifies",
    )
    config.addinivalue_line(
        "markers",
        "timing(margin): the verdict rests on a timing threshold or a probability; margin "
        "says how far a faithful implementation is from it (shown in the claims JSON)",
    )


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
    # The test functions of each claim, for the check of the tests that facts cite.
    claim_functions = {}
    for test in state.tests:
        claim_functions.setdefault(test.claim, set()).add(test.name)
    problems += catalogue.check_coverage(
        state.claims, tested, complete and bool(tested), functions=claim_functions
    )
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
