"""Pool: map's order, imap_unordered's order, apply_async, worker pids, and
leaving `with Pool()`.

Tutorial, section "进程池": its example maps a square over a range, iterates
imap_unordered, calls apply_async(...).get(timeout=1), and prints four
os.getpid results from four apply_async calls. Python documentation: leaving
the with block calls terminate(). Verdicts: spec/claims.toml.
"""

import os
import threading

import pytest

from mpspec.plugin import pools, proctree
from mpspec.runtime.bounds import TIMEOUT
from mpspec.runtime.targets import common

TASKS = 4
SLOT_POOL_SIZE = TASKS  # the shared pool: a worker and a slot per task


@pytest.fixture
def pool(slot_pool):
    """The shared pool itself, for tests that only submit plain tasks and read results."""
    return slot_pool.pool


LAST_FIRST = list(reversed(range(TASKS)))


@pytest.mark.claim("pool-map-ordered")
def test_map_returns_results_in_input_order_though_later_inputs_finish_first(slot_pool):
    """map() returns results in input order even when the tasks are made to finish in
    reverse order."""
    # TASKS inputs on TASKS workers: each task gets a worker of its own. map() blocks,
    # so it runs in a thread while this one releases the tasks, last first.
    returned = []
    caller = threading.Thread(
        target=lambda: returned.append(slot_pool.pool.map(slot_pool.task(), range(TASKS))),
        daemon=True,
    )
    caller.start()
    for x in LAST_FIRST:
        assert slot_pool.started[x].wait(TIMEOUT)
        slot_pool.finish(x)
    caller.join(TIMEOUT)
    assert not caller.is_alive(), "map() did not return"
    assert len(returned) == 1, "map() raised (its traceback is above)"
    results = returned[0]
    assert [x for x, *_ in results] == list(range(TASKS))
    finished = [t for _, _, t, _ in results]
    assert finished == sorted(finished, reverse=True)


@pytest.mark.claim("pool-map-ordered")
def test_map_applies_the_function_to_every_input(pool):
    """map() applies the function to every input."""
    assert pool.map(common.square, range(10)) == [x * x for x in range(10)]


@pytest.mark.claim("pool-imap-unordered")
def test_imap_unordered_yields_each_result_once_in_completion_order(slot_pool, mp_impl):
    """imap_unordered() yields each result once, in the order the tasks completed, not the
    input order."""
    iterator = slot_pool.pool.imap_unordered(slot_pool.task(), range(TASKS))
    for x in LAST_FIRST:
        slot_pool.release[x].set()  # only task x can complete now...
        try:
            yielded = iterator.next(TIMEOUT)[0]
        except mp_impl.TimeoutError:
            yielded = None  # it waits for another task: one not released yet
        assert yielded == x  # ...so it is the next one yielded
    with pytest.raises(StopIteration):
        iterator.next(TIMEOUT)


@pytest.mark.claim("pool-apply-async")
def test_apply_async_returns_the_result_computed_in_another_process(pool):
    """apply_async() returns an AsyncResult whose get() gives the function's result,
    computed in a process other than ours."""
    assert pool.apply_async(common.square, (20,)).get(timeout=TIMEOUT) == 400
    assert pool.apply_async(os.getpid).get(timeout=TIMEOUT) != os.getpid()


@pytest.mark.claim("pool-workers-distinct")
def test_getpid_calls_come_from_at_most_the_pool_s_workers(pool):
    """Twelve os.getpid calls on a pool of four return at most four pids, none of them ours."""
    pids = [r.get(TIMEOUT) for r in [pool.apply_async(os.getpid) for _ in range(12)]]
    assert len(set(pids)) <= 4
    assert os.getpid() not in pids


@pytest.mark.claim("pool-workers-distinct")
def test_four_getpid_calls_can_all_come_from_one_worker(slot_pool):
    """With three of four workers kept busy, four os.getpid calls all return the one idle
    worker's pid: the pids need not be distinct."""
    busy = [slot_pool.hold(n) for n in range(3)]  # one at a time: each holds a worker
    pids = [r.get(TIMEOUT) for r in [slot_pool.pool.apply_async(os.getpid) for _ in range(4)]]
    for n in range(3):
        slot_pool.finish(n)
    busy_pids = {r.get(TIMEOUT)[1] for r in busy}
    assert len(busy_pids) == 3
    assert len(set(pids)) == 1
    assert not set(pids) & busy_pids


@pytest.mark.claim("pool-context-terminates")
def test_leaving_a_with_pool_block_terminates_the_pool(ctx, mp_impl):
    """Leaving a with-Pool block terminates the pool: its workers end with a task still
    outstanding, and the pool refuses new work with ValueError."""
    generation, started, *_ = initargs = pools.slot_events(ctx, 1)
    before = {p.pid for p in mp_impl.active_children()}
    with ctx.Pool(2, initializer=common.init_pool_slots, initargs=initargs) as pool:
        outstanding = pool.apply_async(common.hold_slot, (0, generation.value))
        assert started[0].wait(TIMEOUT)
        workers = [p.pid for p in mp_impl.active_children() if p.pid not in before]
    assert len(workers) == 2
    assert proctree.wait_until(lambda: not any(map(proctree.exists, workers)), TIMEOUT)
    assert not outstanding.ready()
    with pytest.raises(ValueError, match="not running"):
        pool.apply_async(common.square, (1,))
    pool.join()
