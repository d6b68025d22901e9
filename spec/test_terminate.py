"""terminate(): what it stops, and what it can leave broken.

Python documentation (the tutorial does not mention terminate()): terminate()
does not touch the process's own children, and a process terminated while it
holds a Lock, or waits on an Event or Condition, can leave other processes
blocked. Verdicts: spec/claims.toml. The blocking is shown with bounded waits
and with a helper process that is killed afterwards, never by hanging the test.
"""

import signal

import pytest

from mpspec.plugin import proctree
from mpspec.runtime.bounds import TIMEOUT
from mpspec.runtime.targets import terminate

# How long a blocked call is given to prove it stays blocked. Both calls checked
# with it return within milliseconds when nothing is broken (the live-waiter
# case of the Event test shows it), so a tenth of a second tells the two apart.
BLOCKED = 0.1


@pytest.mark.claim("terminate-orphans-descendants")
def test_terminate_leaves_the_process_s_own_child_running(parent_program, start_method):
    """terminate() kills only the process itself (exit code -SIGTERM); its own child goes on
    running: orphaned under fork and spawn; under forkserver still the child of the
    forkserver that the terminated process had started for its own children, which lives on
    as long as they do."""
    program = parent_program("terminate-middle")
    terminated = program.expect("terminated")
    grandchild = program.expect("child-started", pid=terminated["grandchild"])
    gone = program.expect("parent-gone", pid=terminated["grandchild"])

    assert terminated["exitcode"] == -signal.SIGTERM
    assert grandchild["ppid"] != program.proc.pid
    if start_method == "forkserver":
        forkserver = grandchild["ppid"]
        assert grandchild["grandparent"] == terminated["middle"]  # the middle's own forkserver
        assert gone["ppid"] == forkserver  # which outlived the middle
        # The grandchild exits once it has reported; with it the last holder of the pipe's
        # write end is gone, and the forkserver ends (its adopter, the wrapper, reaps it).
        assert proctree.wait_until(lambda: proctree.status(forkserver) in (None, "zombie"), TIMEOUT)
    else:
        assert grandchild["ppid"] == terminated["middle"]
        assert gone["ppid"] == program.proc.pid  # orphaned, adopted by the subreaper


def start_and_wait_for(ctx, target, *args):
    """Start ``target(*args, conn)`` and wait until it sends its first message."""
    ours, theirs = ctx.Pipe()
    proc = ctx.Process(target=target, args=(*args, theirs))
    proc.start()
    theirs.close()
    assert ours.poll(TIMEOUT)
    ours.recv()
    return proc, ours


def blocked_in_a_wait(pid):
    """Whether ``pid``'s main thread sleeps in the kernel on a futex (a semaphore wait)."""
    with open(f"/proc/{pid}/wchan") as f:
        return "futex" in f.read()


@pytest.mark.claim("terminate-breaks-sync")
@pytest.mark.timing(
    "the lock must stay held for 0.1 s; a faithful one is held forever, so only a lock "
    "released later than that would pass unseen"
)
def test_a_lock_held_by_a_terminated_process_is_never_released(ctx):
    """A Lock held by a process that was terminated stays held: nobody can acquire it
    afterwards."""
    lock = ctx.Lock()
    holder, conn = start_and_wait_for(ctx, terminate.hold_lock, lock)
    holder.terminate()
    holder.join(TIMEOUT)
    conn.close()
    assert holder.exitcode == -signal.SIGTERM
    assert not lock.acquire(timeout=BLOCKED)


@pytest.mark.claim("terminate-breaks-sync")
@pytest.mark.parametrize("terminate_the_waiter", [False, True])
@pytest.mark.timing(
    "set() must stay blocked for 0.1 s after a waiter was terminated; a faithful one blocks "
    "forever, so only a set() that returned later than that would pass unseen"
)
def test_setting_an_event_blocks_after_a_waiter_was_terminated(ctx, terminate_the_waiter):
    """Event.set() returns and wakes a live waiter; after a waiter was terminated inside
    wait(), set() blocks in another process: the Event's condition still counts the dead
    waiter as sleeping, and set() waits for it to wake, which it never will."""
    event = ctx.Event()
    waiter, waiter_conn = start_and_wait_for(ctx, terminate.wait_on_event, event)
    assert proctree.wait_until(lambda: blocked_in_a_wait(waiter.pid), TIMEOUT)
    if terminate_the_waiter:
        waiter.terminate()
        waiter.join(TIMEOUT)
    setter, setter_conn = ctx.Pipe()
    helper = ctx.Process(target=terminate.set_event, args=(event, setter_conn))
    helper.start()
    setter_conn.close()
    try:
        assert setter.poll(TIMEOUT)
        assert setter.recv() == "setting"  # the helper is about to call set()
        if terminate_the_waiter:
            assert not setter.poll(BLOCKED)  # set() never returns...
            assert helper.is_alive()
        else:
            assert setter.poll(TIMEOUT)  # ...while with a live waiter it does,
            assert setter.recv() == "set returned"
            waiter.join(TIMEOUT)
            assert waiter.exitcode == 0  # and wakes the waiter.
    finally:
        proctree.stop(helper, TIMEOUT)
        proctree.stop(waiter, TIMEOUT)
        setter.close()
        waiter_conn.close()
