"""AsyncResult.get(timeout): what it raises, and what becomes of the task.

Tutorial, section "进程池": a pool task that takes longer than get(timeout=...)
makes get() raise multiprocessing's TimeoutError. The verdict and its caveats
(which TimeoutError, the task goes on, leaving a with block): spec/claims.toml,
claim pool-get-timeout.
"""

import builtins
import time

import pytest

from mpspec.plugin import pools, proctree
from mpspec.runtime.bounds import TIMEOUT
from mpspec.runtime.targets import common

pytestmark = pytest.mark.claim("pool-get-timeout")

WAIT = 0.1


@pytest.mark.timing(
    "the timeout honoured within 0.9x to +2 s; an immediate return or an endless wait falls outside"
)
def test_get_with_timeout_raises_the_implementation_s_timeout_error(slot_pool, mp_impl):
    """get(timeout) on an unfinished task raises the implementation's TimeoutError (not the
    built-in one) after about the timeout."""
    result = slot_pool.hold(0)
    started = time.monotonic()
    with pytest.raises(mp_impl.TimeoutError) as raised:
        result.get(timeout=WAIT)
    assert WAIT * 0.9 <= time.monotonic() - started < WAIT + 2.0
    assert not isinstance(raised.value, builtins.TimeoutError)


def test_task_keeps_running_after_get_times_out_and_completes(slot_pool, mp_impl):
    """A task whose get() timed out keeps running and its result can still be fetched once
    it completes."""
    result = slot_pool.hold(0)
    with pytest.raises(mp_impl.TimeoutError):
        result.get(timeout=WAIT)
    slot_pool.release[0].set()
    x, _, _, released = result.get(timeout=TIMEOUT)
    assert (x, released) == (0, True)


def test_pool_stays_usable_after_a_get_times_out(slot_pool, mp_impl):
    """After a get() timed out, the pool still runs new tasks."""
    result = slot_pool.hold(0)
    with pytest.raises(mp_impl.TimeoutError):
        result.get(timeout=WAIT)
    slot_pool.release[0].set()
    assert slot_pool.pool.apply_async(common.square, (7,)).get(timeout=TIMEOUT) == 49
    assert result.ready()


def test_leaving_a_with_pool_block_terminates_outstanding_tasks(ctx, mp_impl):
    """Leaving a with-Pool block while a task runs terminates the workers; the task never
    completes."""
    generation, started, *_ = initargs = pools.slot_events(ctx, 1)
    before = {p.pid for p in mp_impl.active_children()}  # the shared pool's worker
    with ctx.Pool(1, initializer=common.init_pool_slots, initargs=initargs) as pool:
        # The task waits TIMEOUT for a release that never comes: if leaving the block
        # waited for it, it would finish then.
        result = pool.apply_async(common.hold_slot, (0, generation.value))
        assert started[0].wait(TIMEOUT)
        workers = [p.pid for p in mp_impl.active_children() if p.pid not in before]
    assert len(workers) == 1
    assert not result.ready()
    assert proctree.wait_until(lambda: not any(map(proctree.exists, workers)), TIMEOUT)
    pool.join()
