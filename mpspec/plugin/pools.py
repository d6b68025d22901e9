"""A pool whose tasks the test controls, shareable by the tests of a module.

Starting a pool costs a process per worker (an interpreter each under spawn),
so a module's tests share one :class:`SlotPool` per start method. Its workers
know ``slots`` sets of events; the task :func:`mpspec.runtime.targets.common.hold_slot`
holding slot ``x`` sets ``started[x]``, waits until the test sets
``release[x]``, then sets ``done[x]`` and returns.

Tests stay independent. :meth:`SlotPool.settle` (after each test) releases
every slot and waits, bounded, until every task that started has finished.
:meth:`SlotPool.reset` (before each test) clears every event and starts a new
generation: a task left queued by an earlier test returns at once when it
finally runs, without holding a worker or touching an event.
"""

import contextlib
import functools
import threading
import time

from mpspec.runtime.bounds import TIMEOUT
from mpspec.runtime.targets import common


def slot_events(ctx, slots):
    """``(generation, started, release, done)``: initargs of ``common.init_pool_slots``."""
    events = tuple([ctx.Event() for _ in range(slots)] for _ in range(3))
    return (ctx.Value("i", 0, lock=False), *events)


class SlotPool:
    def __init__(self, ctx, workers, slots):
        initargs = slot_events(ctx, slots)
        self.generation, self.started, self.release, self.done = initargs
        self.pool = ctx.Pool(workers, initializer=common.init_pool_slots, initargs=initargs)

    def task(self, **kwargs):
        """The slot task of this generation, as a function of the slot: for map() and kin."""
        return functools.partial(common.hold_slot, generation=self.generation.value, **kwargs)

    def submit(self, x, **kwargs):
        """Submit the task holding slot ``x``; return its AsyncResult."""
        return self.pool.apply_async(self.task(**kwargs), (x,))

    def hold(self, x, **kwargs):
        """Submit the task holding slot ``x``; wait (bounded) until a worker runs it."""
        result = self.submit(x, **kwargs)
        if not self.started[x].wait(TIMEOUT):
            raise AssertionError(f"no worker started the task of slot {x} within {TIMEOUT}s")
        return result

    def finish(self, x):
        """Release slot ``x`` and wait (bounded) until its task has finished."""
        self.release[x].set()
        if not self.done[x].wait(TIMEOUT):
            raise AssertionError(f"the task of slot {x} did not finish within {TIMEOUT}s")

    def reset(self):
        """Start a new generation with every event clear. True if the pool was idle.

        Tasks of the old generation that already run are let finish first.
        """
        self.generation.value += 1
        idle = self.settle()
        for event in (*self.started, *self.release, *self.done):
            event.clear()
        return idle

    @contextlib.contextmanager
    def for_one_test(self, timeout=TIMEOUT):
        """Hand the pool to one test: idle and clear before it, idle again after it."""
        if not self.reset():
            raise RuntimeError("an earlier test left a task running in the shared pool")
        yield self
        if not self.settle(timeout):
            raise RuntimeError("a task of this test was still running after it")

    def settle(self, timeout=TIMEOUT):
        """Release every slot; wait until each task that started has finished. True if all did."""
        for event in self.release:
            event.set()
        deadline = time.monotonic() + timeout
        while True:
            pending = [d for s, d in zip(self.started, self.done) if s.is_set() and not d.is_set()]
            if not pending:
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not pending[0].wait(remaining):
                return False

    def close(self, timeout=TIMEOUT):
        """Settle, then close the pool and join its workers (bounded).

        close() lets the workers end normally, as terminate() does not: their
        exit handlers run (coverage.py saves what they ran), and there is no
        terminate() racing a finishing task, which can hang (cpython#96995).
        If the workers are not gone within ``timeout``, the pool is terminated.
        """
        self.settle(timeout)
        self.pool.close()
        joiner = threading.Thread(target=self.pool.join, daemon=True)
        joiner.start()
        joiner.join(timeout)
        if joiner.is_alive():
            self.pool.terminate()
            joiner.join(timeout)
