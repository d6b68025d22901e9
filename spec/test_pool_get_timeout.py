"""AsyncResult.get(timeout) raises the implementation's TimeoutError; the task goes on.

Tutorial, section "进程池": a pool task that takes longer than get(timeout=...)
makes get() raise multiprocessing's TimeoutError. Holds, with caveats: that
TimeoutError is not the builtin one (a bare ``except TimeoutError`` misses it),
the task is not cancelled and still completes, the pool stays usable, and
leaving a ``with Pool()`` block terminates outstanding tasks instead of waiting.
"""

import builtins
import time

import pytest

from mpspec import children, proctree
from mpspec.channel import TIMEOUT

pytestmark = pytest.mark.claim("pool-get-timeout")

WAIT = 0.2


@pytest.fixture
def events(ctx):
    """(started, release): set by the blocking task, and by the test to let it finish."""
    return ctx.Event(), ctx.Event()


@pytest.fixture
def pool(ctx, events):
    """A one-worker pool whose worker knows ``events``; terminated at teardown.

    Tests leave it idle: Pool.terminate() racing a task that is just finishing
    can hang (python/cpython#96995, #78178)."""
    pool = ctx.Pool(1, initializer=children.init_pool_events, initargs=events)
    yield pool
    pool.terminate()
    pool.join()


def start_blocking_task(pool, events, **kwargs):
    started, _ = events
    result = pool.apply_async(children.block_until_released, ("done",), kwargs)
    assert started.wait(TIMEOUT)
    return result


def test_get_with_timeout_raises_the_implementation_s_timeout_error(pool, events, mp_impl):
    """get(timeout) on an unfinished task raises the implementation's TimeoutError (not the
    built-in one) after about the timeout."""
    result = start_blocking_task(pool, events)
    started = time.monotonic()
    with pytest.raises(mp_impl.TimeoutError) as raised:
        result.get(timeout=WAIT)
    assert WAIT * 0.9 <= time.monotonic() - started < WAIT + 2.0
    assert not isinstance(raised.value, builtins.TimeoutError)
    events[1].set()
    result.get(TIMEOUT)  # leave the pool idle: terminating a busy one can hang (cpython#96995)


def test_task_keeps_running_after_get_times_out_and_completes(pool, events, mp_impl):
    """A task whose get() timed out keeps running and its result can still be fetched once
    it completes."""
    result = start_blocking_task(pool, events)
    with pytest.raises(mp_impl.TimeoutError):
        result.get(timeout=WAIT)
    events[1].set()
    value, _, released = result.get(timeout=TIMEOUT)
    assert (value, released) == ("done", True)


def test_pool_stays_usable_after_a_get_times_out(pool, events, mp_impl):
    """After a get() timed out, the pool still runs new tasks."""
    result = start_blocking_task(pool, events)
    with pytest.raises(mp_impl.TimeoutError):
        result.get(timeout=WAIT)
    events[1].set()
    assert pool.apply_async(children.square, (7,)).get(timeout=TIMEOUT) == 49


def test_leaving_a_with_pool_block_terminates_outstanding_tasks(ctx, events, mp_impl):
    """Leaving a with-Pool block while a task runs terminates the workers; the task never
    completes."""
    with ctx.Pool(1, initializer=children.init_pool_events, initargs=events) as pool:
        # Bounded: if leaving the block waited for the task, it would finish in 3 s.
        result = start_blocking_task(pool, events, timeout=3.0)
        workers = [p.pid for p in mp_impl.active_children()]
    assert not result.ready()
    assert proctree.wait_until(lambda: not any(map(proctree.exists, workers)), TIMEOUT)
    pool.join()
