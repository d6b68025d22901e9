"""A lock made at import time is shared by fork children only, unless the forkserver made
it; passed as an argument, it is shared under every method, if its context allows.

Python documentation, "Programming guidelines" ("explicitly pass resources to
child processes", not the tutorial): a spawn or forkserver child imports the
modules it needs afresh, so a Lock or Queue that a module makes at import time
is a new, separate one in each such child; only a fork child has the parent's.
Two exceptions: a module the forkserver itself imported (preloaded) made one
lock, which all forkserver children share; and a lock made by the fork context
cannot be passed to a spawn or forkserver child at all.
"""

import signal

import pytest

from mpspec.plugin import runner
from mpspec.runtime import versions
from mpspec.runtime.bounds import TIMEOUT
from mpspec.runtime.targets import import_time_lock, lifecycle, pitfalls

pytestmark = pytest.mark.claim("resources-pass-explicitly")


@pytest.fixture
def held_import_time_lock():
    """The import-time lock, held by us for the test's duration."""
    assert import_time_lock.LOCK.acquire(False)  # nothing else takes it: never waits
    yield import_time_lock.LOCK
    import_time_lock.LOCK.release()


def test_a_lock_made_at_import_is_the_parent_s_only_in_a_fork_child(
    call_in_child, start_method, held_import_time_lock, observe
):
    """While we hold a module's import-time lock: a fork child finds that lock held (it is
    ours); a spawn or forkserver child finds a free one (its own import made it). The same
    lock given as an argument is held in every child."""
    found_at_import_free, passed_free = call_in_child(
        lifecycle.try_import_time_lock, held_import_time_lock
    )
    observe("its own lock" if found_at_import_free else "the parent's lock")
    assert found_at_import_free is (start_method != "fork")
    assert passed_free is False


# A fresh interpreter: the preload list is the whole process's, and counts only for a
# forkserver not yet started; this one ends with the program.
PRELOAD_PROGRAM = """
import sys
from mpspec.runtime.bounds import TIMEOUT
from mpspec.runtime.targets import pitfalls

if __name__ == "__main__":
    ctx = __import__(sys.argv[1]).get_context(sys.argv[2])
    ctx.set_forkserver_preload(["mpspec.runtime.targets.preloaded_lock"])
    held, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=pitfalls.hold_preloaded_lock, args=(held, release))
    holder.start()
    try:
        print("held" if held.wait(TIMEOUT) else "not held")
        receiver, sender = ctx.Pipe(duplex=False)
        taker = ctx.Process(target=pitfalls.try_preloaded_lock, args=(sender,))
        taker.start()
        sender.close()
        print(receiver.recv() if receiver.poll(TIMEOUT) else "nothing")
        taker.join(TIMEOUT)
    finally:
        release.set()
        holder.join(TIMEOUT)
    print("exitcodes", holder.exitcode, taker.exitcode)
"""


def test_a_lock_made_at_import_in_the_forkserver_is_one_lock_for_all_its_children(
    start_method, observe
):
    """A module that makes a lock when it is imported, named in set_forkserver_preload(),
    is imported once, by the forkserver: every forkserver child has that one lock, and
    while one child holds it a second cannot take it. Under fork and spawn the preload
    list changes nothing: each child imports the module itself and takes its own lock."""
    out = runner.run_fresh_interpreter(PRELOAD_PROGRAM, start_method).splitlines()
    shared = start_method == "forkserver"
    observe("one lock for all children" if shared else "a lock per child")
    assert out == [
        "held",
        str({"taken": not shared, "made_by_parent": shared}),
        "exitcodes 0 0",
    ]


def test_a_lock_from_a_fork_context_cannot_go_to_a_spawn_or_forkserver_child(
    mp_impl, ctx, start_method, observe
):
    """A Lock made by the fork context, held by us and given to a child as an argument: a
    fork child has our lock (it cannot take it). A spawn or forkserver child cannot have
    it: from Python 3.11 start() raises RuntimeError in the parent and no child is
    created; before, the child starts and dies of SIGSEGV before its target runs (the lock
    travels as a pointer into the parent's memory)."""
    lock = mp_impl.get_context("fork").Lock()
    assert lock.acquire(False)  # nobody else has it: never waits
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=pitfalls.try_lock, args=(lock, sender))
    try:
        if start_method == "fork":
            proc.start()
            sender.close()
            assert receiver.poll(TIMEOUT)
            assert receiver.recv() is False  # our lock, held by us
            observe("the parent's lock")
        elif versions.fork_semlock_refused_elsewhere():
            with pytest.raises(RuntimeError, match="fork context"):
                proc.start()
            assert proc.pid is None
            observe("RuntimeError in start()")
        else:
            proc.start()
            sender.close()
            assert receiver.poll(TIMEOUT)
            with pytest.raises(EOFError):  # the target never ran
                receiver.recv()
            proc.join(TIMEOUT)
            assert proc.exitcode == -signal.SIGSEGV
            observe("the child dies of SIGSEGV")
    finally:
        receiver.close()
        sender.close()
        if proc.pid is not None:
            proc.join(TIMEOUT)
        lock.release()
