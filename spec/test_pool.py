"""Pool: map keeps input order, imap_unordered completion order, apply_async runs
in a worker; pids may repeat; leaving `with Pool()` terminates.

Tutorial, section "进程池": its example maps a square over a range, iterates
imap_unordered, calls apply_async(...).get(timeout=1), and prints four
os.getpid results from four apply_async calls. Hold, except that four different
pids are not guaranteed. Python documentation: leaving the with block calls
terminate().
"""

import os

import pytest

from mpspec import children, proctree
from mpspec.channel import TIMEOUT

TASKS = 4


@pytest.fixture(scope="module")
def pool(mp_impl, start_method):
    """One pool of 4 per start method, shared by this module's read-only tests: they only
    submit tasks and read the results, and leave the pool idle."""
    pool = mp_impl.get_context(start_method).Pool(4)
    yield pool
    pool.terminate()
    pool.join()


class ReleasedInOrder:
    """A pool of TASKS workers whose finish_when_released(x) tasks finish when we say."""

    def __init__(self, ctx):
        self.release = [ctx.Event() for _ in range(TASKS)]
        self.done = [ctx.Event() for _ in range(TASKS)]
        self.pool = ctx.Pool(
            TASKS, initializer=children.init_pool_release, initargs=(self.release, self.done)
        )

    def finish(self, x):
        self.release[x].set()
        assert self.done[x].wait(TIMEOUT)


@pytest.fixture
def controlled(ctx):
    controlled = ReleasedInOrder(ctx)
    yield controlled
    for event in controlled.release:
        event.set()
    # Terminate an idle pool only: terminating one whose tasks are finishing can
    # hang (python/cpython#96995). A task that never started has no done event
    # set, hence the overall bound.
    proctree.wait_until(lambda: all(e.is_set() for e in controlled.done), 5.0, interval=0.01)
    controlled.pool.terminate()
    controlled.pool.join()


LAST_FIRST = list(reversed(range(TASKS)))


@pytest.mark.claim("pool-map-ordered")
def test_map_returns_results_in_input_order_though_later_inputs_finish_first(controlled):
    # map() is map_async().get(); the timeout only bounds the wait.
    """map() returns results in input order even when the tasks are made to finish in
    reverse order."""
    result = controlled.pool.map_async(children.finish_when_released, range(TASKS))
    for x in LAST_FIRST:
        controlled.finish(x)
    results = result.get(TIMEOUT)
    assert [x for x, _ in results] == list(range(TASKS))
    finished = [t for _, t in results]
    assert finished == sorted(finished, reverse=True)


@pytest.mark.claim("pool-map-ordered")
def test_map_applies_the_function_to_every_input(pool):
    """map() applies the function to every input."""
    assert pool.map(children.square, range(10)) == [x * x for x in range(10)]


@pytest.mark.claim("pool-imap-unordered")
def test_imap_unordered_yields_each_result_once_in_completion_order(controlled):
    """imap_unordered() yields each result once, in the order the tasks completed, not the
    input order."""
    iterator = controlled.pool.imap_unordered(children.finish_when_released, range(TASKS))
    for x in LAST_FIRST:
        controlled.release[x].set()  # only task x can complete now...
        assert iterator.next(TIMEOUT)[0] == x  # ...so it is the next one yielded
    with pytest.raises(StopIteration):
        iterator.next(TIMEOUT)


@pytest.mark.claim("pool-apply-async")
def test_apply_async_returns_the_result_computed_in_another_process(pool):
    """apply_async() returns an AsyncResult whose get() gives the function's result,
    computed in a process other than ours."""
    assert pool.apply_async(children.square, (20,)).get(timeout=TIMEOUT) == 400
    assert pool.apply_async(os.getpid).get(timeout=TIMEOUT) != os.getpid()


@pytest.fixture
def events(ctx):
    return ctx.Event(), ctx.Event()


@pytest.mark.claim("pool-workers-distinct")
def test_getpid_calls_come_from_at_most_the_pool_s_workers(pool):
    """Twelve os.getpid calls on a pool of four return at most four pids, none of them ours."""
    pids = [r.get(TIMEOUT) for r in [pool.apply_async(os.getpid) for _ in range(12)]]
    assert len(set(pids)) <= 4
    assert os.getpid() not in pids


@pytest.mark.claim("pool-workers-distinct")
def test_four_getpid_calls_can_all_come_from_one_worker(ctx, events):
    """With three of four workers kept busy, four os.getpid calls all return the one idle
    worker's pid: the pids need not be distinct."""
    started, release = events
    pool = ctx.Pool(4, initializer=children.init_pool_events, initargs=events)
    try:
        # Occupy three of the four workers, one at a time.
        busy = []
        for n in range(3):
            busy.append(pool.apply_async(children.block_until_released, (n,)))
            assert started.wait(TIMEOUT)
            started.clear()
        pids = [r.get(TIMEOUT) for r in [pool.apply_async(os.getpid) for _ in range(4)]]
        release.set()
        busy_pids = {r.get(TIMEOUT)[1] for r in busy}
    finally:
        pool.terminate()
        pool.join()
    assert len(busy_pids) == 3
    assert len(set(pids)) == 1
    assert not set(pids) & busy_pids


@pytest.mark.claim("pool-context-terminates")
def test_leaving_a_with_pool_block_terminates_the_pool(ctx, mp_impl, events):
    """Leaving a with-Pool block terminates the pool: its workers end with a task still
    outstanding, and the pool refuses new work with ValueError."""
    started, _ = events
    before = {p.pid for p in mp_impl.active_children()}
    with ctx.Pool(2, initializer=children.init_pool_events, initargs=events) as pool:
        outstanding = pool.apply_async(children.block_until_released, ("done",))
        assert started.wait(TIMEOUT)
        workers = [p.pid for p in mp_impl.active_children() if p.pid not in before]
    assert len(workers) == 2
    assert proctree.wait_until(lambda: not any(map(proctree.exists, workers)), TIMEOUT)
    assert not outstanding.ready()
    with pytest.raises(ValueError, match="not running"):
        pool.apply_async(children.square, (1,))
    pool.join()
