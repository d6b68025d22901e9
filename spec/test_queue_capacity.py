"""Queue(n): how many items it holds, and what put() and get() do at the limits.

Tutorial, section "进程间通信 › Queue": a queue made with Queue(n) has capacity n.
The tests cover put_nowait(), put(timeout=t), get(timeout=t) and a maxsize of
zero or less. Verdict and the real upper bound: spec/claims.toml, claim
queue-capacity.
"""

import contextlib
import queue
import time

import pytest

from mpspec.runtime.bounds import TIMEOUT
from mpspec.runtime.targets import queue_capacity

pytestmark = pytest.mark.claim("queue-capacity")

# The timeout given to put() and get(). The assertions (0.9 x WAIT <= waited <
# WAIT + 2 s) tell an honoured timeout from an immediate return or an endless one.
WAIT = 0.1


@pytest.fixture
def make_queue(ctx):
    """Create queues of the context; drain, close and flush each at teardown."""
    made = []

    def make(*args):
        q = ctx.Queue(*args)
        made.append(q)
        return q

    yield make
    for q in made:
        # Take what is in the pipe, so that the feeder thread has room to flush the
        # rest (a few small items at most here) and join_thread() returns.
        try:
            while True:
                q.get_nowait()
        except queue.Empty:
            pass
        q.close()
        q.join_thread()


def test_queue_of_size_n_accepts_n_items_then_put_nowait_raises_full(make_queue):
    """Queue(3) accepts three put_nowait() calls and raises queue.Full on the fourth."""
    q = make_queue(3)
    for item in range(3):
        q.put_nowait(item)
    with pytest.raises(queue.Full):
        q.put_nowait(3)


@pytest.mark.timing(
    "the timeout (0.1 s) honoured within 0.9x to +2 s; an immediate return or an endless "
    "wait falls outside"
)
def test_put_with_timeout_on_a_full_queue_raises_full_after_the_timeout(make_queue):
    """put(timeout=t) on a full queue waits about t seconds, then raises queue.Full."""
    q = make_queue(1)
    q.put(0)
    started = time.monotonic()
    with pytest.raises(queue.Full):
        q.put(1, timeout=WAIT)
    assert WAIT * 0.9 <= time.monotonic() - started < WAIT + 2.0


@pytest.mark.timing(
    "the timeout (0.1 s) honoured within 0.9x to +2 s; an immediate return or an endless "
    "wait falls outside"
)
def test_get_with_timeout_on_an_empty_queue_raises_empty(make_queue):
    """get(timeout=t) on an empty queue waits about t seconds, then raises queue.Empty."""
    q = make_queue(1)
    started = time.monotonic()
    with pytest.raises(queue.Empty):
        q.get(timeout=WAIT)
    assert WAIT * 0.9 <= time.monotonic() - started < WAIT + 2.0


@pytest.mark.parametrize("maxsize", [0, -1])
def test_queue_with_maxsize_zero_or_less_has_no_limit(make_queue, maxsize):
    """A Queue made with maxsize 0 or a negative number accepts a thousand put_nowait()
    calls and returns all items in order."""
    q = make_queue(maxsize)
    accepted = 0
    with contextlib.suppress(queue.Full):
        for item in range(1000):
            q.put_nowait(item)
            accepted += 1
    assert accepted == 1000
    assert [q.get(timeout=TIMEOUT) for _ in range(1000)] == list(range(1000))


def test_a_full_queue_refuses_a_child_s_put_until_the_parent_gets(ctx, make_queue):
    """A child's put_nowait() on a full queue shared with the parent raises queue.Full; the
    parent's item is still first out."""
    q = make_queue(1)
    q.put("parent's item")
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=queue_capacity.put_nowait_and_report, args=(q, "child's item", sender)
    )
    proc.start()
    sender.close()
    try:
        assert receiver.poll(TIMEOUT)
        assert receiver.recv() == "Full"
    finally:
        proc.join(TIMEOUT)
        receiver.close()
    assert q.get(timeout=TIMEOUT) == "parent's item"
