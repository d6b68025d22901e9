"""start() and join(): who waits for whom, daemons included.

Tutorial, section "multiprocessing.Process 对象": without join() the parent runs
on alongside the child; with join() it waits until the child ended; and it
waits for a daemonic child just the same. Verdicts: spec/claims.toml.
"""

import time

import pytest

from mpspec.runtime.bounds import TIMEOUT
from mpspec.runtime.targets import common

WORK = 0.1


class Child:
    """A child that waits for a release (bounded), works WORK s, then reports "done"."""

    def __init__(self, ctx, daemon=False):
        self.release_receiver, self.release_sender = ctx.Pipe(duplex=False)
        self.done_receiver, self.done_sender = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(
            target=common.work_after_release,
            args=(self.release_receiver, self.done_sender, WORK),
            daemon=daemon,
        )

    def release(self):
        self.release_sender.send("go")

    def close(self):
        if self.proc.is_alive():
            self.release()
        self.proc.join(TIMEOUT)
        self.release_sender.close()
        for conn in (self.release_receiver, self.done_receiver, self.done_sender):
            conn.close()


@pytest.fixture
def child(ctx):
    made = []

    def make(daemon=False):
        made.append(Child(ctx, daemon))
        return made[-1]

    yield make
    for c in made:
        c.close()


@pytest.mark.claim("no-join-runs-concurrently")
def test_start_returns_while_the_child_runs_and_the_parent_works_alongside(child):
    """start() returns while the child still waits for us; the parent releases it and the
    child then finishes its work."""
    c = child()
    c.proc.start()
    # start() returned, yet the child cannot have finished: it waits for us.
    assert c.proc.is_alive()
    assert c.proc.exitcode is None
    c.release()  # the parent acts while the child runs...
    assert c.done_receiver.poll(TIMEOUT)  # ...and the child responds to it
    assert c.done_receiver.recv() == "done"


@pytest.mark.claim("join-waits")
def test_join_returns_after_the_child_ended_with_its_effects_visible(child):
    """join() returns only after the child ended, and what the child sent before ending is
    already there."""
    c = child()
    c.proc.start()
    c.release()
    c.proc.join(TIMEOUT)
    assert c.proc.exitcode == 0
    assert c.done_receiver.poll(0)  # its last action is already visible


@pytest.mark.claim("join-waits")
def test_join_with_a_timeout_returns_with_the_child_still_running(child):
    """join(timeout) returns once the timeout has passed, with the child (which waits for a
    release that never comes) still alive and exitcode None."""
    c = child()
    c.proc.start()
    began = time.monotonic()
    c.proc.join(WORK)
    # The wait beneath join() rounds its timeout up to whole milliseconds, never down.
    assert time.monotonic() - began >= WORK
    assert c.proc.is_alive()
    assert c.proc.exitcode is None


@pytest.mark.claim("join-waits-for-daemon")
def test_join_waits_until_a_daemonic_child_ended(child):
    """join() waits for a daemonic child exactly as for any other: it returns after the
    child ended, exit code 0."""
    c = child(daemon=True)
    c.proc.start()
    c.release()
    c.proc.join(TIMEOUT)
    assert c.proc.daemon
    assert c.proc.exitcode == 0
    assert c.done_receiver.poll(0)


@pytest.mark.claim("join-waits-for-daemon")
def test_join_with_a_timeout_returns_with_a_daemonic_child_still_running(child):
    """join(timeout) on a daemonic child returns after the timeout with the child still
    alive."""
    c = child(daemon=True)
    c.proc.start()
    began = time.monotonic()
    c.proc.join(WORK)
    assert time.monotonic() - began >= WORK  # the wait rounds up, never down
    assert c.proc.is_alive()
