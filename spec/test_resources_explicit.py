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
import subprocess
import sys

import pytest

from mpspec.plugin import runner
from mpspec.runtime import impl, versions
from mpspec.runtime.bounds import TIMEOUT
from mpspec.runtime.targets import resources_explicit, resources_explicit_lock

pytestmark = pytest.mark.claim("resources-pass-explicitly")


@pytest.fixture
def held_import_time_lock():
    """The import-time lock, held by us for the test's duration."""
    assert resources_explicit_lock.LOCK.acquire(False)  # nothing else takes it: never waits
    yield resources_explicit_lock.LOCK
    resources_explicit_lock.LOCK.release()


def test_a_lock_made_at_import_is_the_parent_s_only_in_a_fork_child(
    call_in_child, start_method, held_import_time_lock, observe
):
    """While we hold a module's import-time lock: a fork child finds that lock held (it is
    ours); a spawn or forkserver child finds a free one (its own import made it). The same
    lock given as an argument is held in every child."""
    found_at_import_free, passed_free = call_in_child(
        resources_explicit.try_import_time_lock, held_import_time_lock
    )
    observe("its own lock" if found_at_import_free else "the parent's lock")
    assert found_at_import_free is (start_method != "fork")
    assert passed_free is False


# Two children take the lock that ``resources_explicit_preloaded_lock`` makes at import:
# one holds it while the other tries. Run in a fresh interpreter: the preload list is
# the whole process's, and counts only for a forkserver not yet started; this one ends
# with the program.
TWO_CHILDREN = """
    held, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=resources_explicit.hold_preloaded_lock, args=(held, release))
    holder.start()
    try:
        print("held" if held.wait(TIMEOUT) else "not held")
        receiver, sender = ctx.Pipe(duplex=False)
        taker = ctx.Process(target=resources_explicit.try_preloaded_lock, args=(sender,))
        taker.start()
        sender.close()
        print(receiver.recv() if receiver.poll(TIMEOUT) else "nothing")
        taker.join(TIMEOUT)
    finally:
        release.set()
        holder.join(TIMEOUT)
    print("exitcodes", holder.exitcode, taker.exitcode)
"""

PRELOAD_PROGRAM = (
    """
import sys
from mpspec.runtime.bounds import TIMEOUT
from mpspec.runtime.targets import resources_explicit

if __name__ == "__main__":
    ctx = __import__(sys.argv[1]).get_context(sys.argv[2])
    ctx.set_forkserver_preload(["mpspec.runtime.targets.resources_explicit_preloaded_lock"])
"""
    + TWO_CHILDREN
)

# Run by its path, with nothing preloaded by name: the script imports the module at its
# top level, as scripts do.
SCRIPT = (
    """
import sys
from mpspec.runtime.bounds import TIMEOUT
from mpspec.runtime.targets import resources_explicit, resources_explicit_preloaded_lock

if __name__ == "__main__":
    ctx = __import__(sys.argv[1]).get_context(sys.argv[2])
"""
    + TWO_CHILDREN
)


def what_the_second_child_finds(shared):
    """The program's output when the two children share one lock made by their parent
    (``shared``), or when each makes its own."""
    return ["held", str({"taken": not shared, "made_by_parent": shared}), "exitcodes 0 0"]


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
    assert out == what_the_second_child_finds(shared)


def test_a_lock_the_main_script_makes_at_import_is_shared_where_the_forkserver_imports_it(
    start_method, tmp_path, observe
):
    """A script that imports, at its top level, a module that makes a lock, and starts two
    children: fork children share the parent's lock; spawn children each import the
    script and make their own. Forkserver children share one lock, the forkserver's, where
    the forkserver imports the script for them (CPython 3.13.8+ and 3.14.1+: its preload
    list holds ``__main__``, which it now imports from the script's path), else each
    makes its own."""
    script = tmp_path / "imports_a_lock.py"
    script.write_text(SCRIPT)
    out = subprocess.run(
        [sys.executable, str(script), impl.name(), start_method],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=True,
    ).stdout.splitlines()
    shared = start_method == "fork" or (
        start_method == "forkserver" and versions.forkserver_imports_main_once()
    )
    observe("one lock for all children" if shared else "a lock per child")
    assert out == what_the_second_child_finds(shared)


def test_a_lock_from_a_fork_context_cannot_go_to_a_spawn_or_forkserver_child(
    mp_impl, ctx, start_method, observe
):
    """A Lock made by the fork context, held by us and given to a child as an argument: a
    fork child has our lock (it cannot take it). A spawn or forkserver child cannot have
    it: from Python 3.11 start() raises RuntimeError in the parent and no child is
    created; before, the child starts and dies of SIGSEGV when its target takes the lock
    (it travels as a pointer into the parent's memory)."""
    lock = mp_impl.get_context("fork").Lock()
    assert lock.acquire(False)  # nobody else has it: never waits
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=resources_explicit.try_lock, args=(lock, sender))
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
