"""The fixtures that the spec's tests use: the implementation, its context per start
method, a child that answers, a pool shared by a module's tests, parent programs."""

import pytest

from mpspec.plugin import pools, proctree, runner
from mpspec.plugin.session import KEY
from mpspec.runtime.bounds import TIMEOUT


@pytest.fixture
def start_method():
    """The start method of a claim test (the plugin parametrizes claim tests with it)."""
    raise pytest.UsageError("start_method is only available to tests marked with claim(...)")


@pytest.fixture(scope="session")
def mp_impl(pytestconfig):
    """The implementation module under test (``--mp-impl``)."""
    return pytestconfig.stash[KEY].module


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
            if not receiver.poll(TIMEOUT):
                raise AssertionError(f"{target.__name__} sent nothing within {TIMEOUT}s")
            try:
                return receiver.recv()
            except EOFError:
                # Every copy of the sending end closed without a word: the
                # target never ran in a process of its own.
                raise AssertionError(f"{target.__name__} ended without sending") from None
        finally:
            receiver.close()
            proc.join(TIMEOUT)
            proctree.stop(proc, TIMEOUT)

    return call


@pytest.fixture
def observe(request):
    """``observe(value, measured=None)`` records what this configuration did, as a short
    categorical text ("runs", "TypeError in start()"): the claims JSON carries it in the
    test's record as ``observed``, so that a run shows what happens, not only that it was
    verified. ``value`` must be the same in every run of the same configuration, since
    runs are compared by it (``python -m mpspec diff``); a figure that varies from run to
    run (seconds, counts) goes in ``measured``, which comparisons ignore."""

    def record(value, measured=None):
        request.node.user_properties.append(("mpspec_observed", str(value)))
        if measured is not None:
            request.node.user_properties.append(("mpspec_measured", str(measured)))

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
    shared by the module's tests (see mpspec.plugin.pools): idle and with every event clear when
    the test starts, and required to be idle again when it ends."""
    with _module_slot_pool.for_one_test():
        yield _module_slot_pool


@pytest.fixture
def parent_program(start_method, pytestconfig):
    """Runs parent programs (mpspec.runtime.scenarios) and kills whatever they leave behind."""
    programs = []

    def start(scenario, *options, subreaper=True, script=False):
        program = runner.ParentProgram(pytestconfig.stash[KEY].impl_name, start_method)
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
