"""A fork child has one thread, and a lock another parent thread held stays held in it.

Python documentation, os.fork() and "Contexts and start methods" (not the
tutorial): fork copies the process with only the thread that called it, and
every lock as it is at that moment; a lock held by another thread is held for
good in the child, which has no thread to release it. The reason Python 3.12
warns when a process with threads forks, and 3.14 left fork as the default.
spawn and forkserver children start clean.
"""

import sys
import threading
import warnings

import pytest

from mpspec.runtime.bounds import TIMEOUT
from mpspec.runtime.targets import common, fork_threads

pytestmark = pytest.mark.claim("fork-copies-one-thread")


@pytest.fixture
def lock_held_by_a_thread():
    """fork_threads.HELD_BY_A_THREAD, held by another thread of ours for the test's duration."""
    held, release = threading.Event(), threading.Event()

    def hold():
        with fork_threads.HELD_BY_A_THREAD:
            held.set()
            release.wait(TIMEOUT)

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(TIMEOUT)
    yield
    release.set()
    holder.join(TIMEOUT)


def test_a_lock_another_thread_held_at_fork_stays_held_in_the_fork_child(
    call_in_child, start_method, lock_held_by_a_thread, observe
):
    """While another thread of the parent holds a lock, a fork child has one thread and
    cannot take the lock (it waits in vain); a spawn or forkserver child has one thread and
    a free lock of its own."""
    seen = call_in_child(fork_threads.report_threads_and_lock)
    observe(f"{seen['threads']} thread, lock {'free' if seen['lock_free'] else 'held'}")
    assert seen["threads"] == 1
    assert seen["lock_free"] is (start_method != "fork")


def test_forking_with_other_threads_warns_from_python_3_12(
    ctx, start_method, lock_held_by_a_thread
):
    """Starting a fork child while the parent has other threads gives a DeprecationWarning
    from CPython 3.12, attributed to multiprocessing's code rather than to the caller of
    start(); spawn and forkserver, which do not fork the caller, give none."""
    proc = ctx.Process(target=common.do_nothing)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        proc.start()
    proc.join(TIMEOUT)
    forked_with_threads = [
        w for w in caught if issubclass(w.category, DeprecationWarning) and "fork" in str(w.message)
    ]
    warns = (
        start_method == "fork"
        and sys.implementation.name == "cpython"
        and sys.version_info >= (3, 12)
    )
    assert bool(forked_with_threads) is warns
    # It names multiprocessing's own code as its place, not the start() call here: the
    # default filters show a DeprecationWarning only where it names __main__, so a script
    # run normally prints nothing.
    assert all(w.filename != __file__ for w in forked_with_threads)
