"""The leak check: a claim test must leave no process, thread or /dev/shm entry behind.

After each claim test it looks for child processes (running or zombie) the test
started, threads it started in this process, and POSIX semaphores or
shared-memory segments (``/dev/shm``) it created and did not release. It fails
the test and cleans up, without ever touching what another live process uses:

- processes: only descendants of this process that started during the test;
- /dev/shm: only entries that appeared during the test and that no process
  outside this test's process tree maps or holds open, compared by device and
  inode (``procfs.files_in_use``), so a process that sees /dev/shm through
  another mount (a container, a chroot) is recognised as a user too. Of those,
  it unlinks only what no process at all uses any more.

An orphan (an entry that nobody maps or holds open) carries no trace of who
made it. So that a test does not take another run's orphan for its own, every
test's check holds a shared lock on the /dev/shm directory from before its
snapshot until its verdict, and a test marked ``mpspec_alone`` (one that
leaves an orphan on purpose) holds it exclusively: no other check, in this run
or in any run that shares this /dev/shm, is between its snapshot and its
verdict meanwhile. Whatever else makes an orphan in /dev/shm on purpose (the
harness tests do) holds ``shm_window(exclusive=True)`` until the orphan is gone.
"""

import contextlib
import fcntl
import gc
import os
import sys
import threading
import time

import psutil
import pytest

from mpspec.plugin import proctree
from mpspec.runtime import procfs
from mpspec.runtime.bounds import GRACE, TIMEOUT

SHM_DIR = "/dev/shm"
_BEFORE = pytest.StashKey()  # the /dev/shm entries when the test started


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "mpspec_alone: run this claim test's leak check while no other leak check that "
        "shares /dev/shm is running (for a test that leaves an orphan on purpose)",
    )


# Lock descriptors open in this process. A fork child gets copies of them,
# which would hold the lock for as long as the child lives (a pool worker
# forked during a test outlives it): the child closes its copies at once.
_LOCK_FDS = set()


def _close_inherited_locks():
    for fd in _LOCK_FDS:
        with contextlib.suppress(OSError):
            os.close(fd)
    _LOCK_FDS.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_inherited_locks)


def _flock(path, mode, deadline, kind):
    """Open ``path`` (a directory) and take its ``flock`` in ``mode``, trying every
    millisecond until ``deadline``; return the descriptor, or None where ``path``
    does not exist."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return None
    _LOCK_FDS.add(fd)
    while True:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:  # held the other way: poll until the deadline
            if time.monotonic() >= deadline:
                _unlock(fd)
                raise TimeoutError(f"the {kind} lock on {path} was not free in time") from None
            time.sleep(0.001)
        except OSError:
            _unlock(fd)
            raise


def _unlock(fd):
    if fd is not None:
        _LOCK_FDS.discard(fd)
        os.close(fd)  # releases the lock


@contextlib.contextmanager
def shm_window(exclusive=False, timeout=TIMEOUT, directory=SHM_DIR):
    """Hold the /dev/shm directory's lock (or ``directory``'s), shared or exclusive, for
    the block.

    The lock is a ``flock`` on the directory itself: nothing is created, and
    every process that sees the same /dev/shm, through whatever mount, takes
    the same lock. Waits at most ``timeout`` seconds, then raises TimeoutError.

    The parent directory's lock is a turnstile, so that shared windows cannot
    keep an exclusive one out for good. Several runs that share /dev/shm have
    shared windows open almost all the time, and their gaps can be rarer than
    one a minute. So every window first passes the turnstile (shared for a
    shared window, exclusive for an exclusive one) and leaves it as soon as it
    holds its own lock. An exclusive window holds the turnstile while it waits
    for the shared windows already open to end, and no new one starts meanwhile.
    """
    deadline = time.monotonic() + timeout
    mode, kind = (fcntl.LOCK_EX, "exclusive") if exclusive else (fcntl.LOCK_SH, "shared")
    turnstile = _flock(os.path.dirname(os.path.abspath(directory)), mode, deadline, kind)
    try:
        fd = _flock(directory, mode, deadline, kind)
    finally:
        _unlock(turnstile)
    try:
        yield
    finally:
        _unlock(fd)


@pytest.fixture(autouse=True)
def _mpspec_leak_check(request):
    """Fail a claim test that leaves anything behind, and clean it up (see the module)."""
    if request.node.get_closest_marker("claim") is None:
        yield
        return
    alone = request.node.get_closest_marker("mpspec_alone") is not None
    with shm_window(exclusive=alone):
        processes = set(procfs.descendants_and_starts())  # cheap: no psutil object per process
        threads = set(threading.enumerate())
        segments = request.node.stash[_BEFORE] = shm_entries()
        yield
        problems = _check(request, processes, threads, segments)
    if problems:
        pytest.fail("test left behind " + "; ".join(problems), pytrace=False)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Add to a failed claim test's report what a rerun would otherwise be needed for:
    every process below this one (forkserver and tracker included) and the new /dev/shm
    entries, as they were when the test failed."""
    outcome = yield
    report = outcome.get_result()
    if report.failed and call.when == "call" and item.get_closest_marker("claim") is not None:
        procs = []
        for pid in procfs.descendant_pids():
            with contextlib.suppress(psutil.NoSuchProcess):
                procs.append(psutil.Process(pid))
        report.sections.append(
            ("mpspec: processes below the test when it failed", proctree.describe(procs) or "none")
        )
        new = sorted(shm_entries() - item.stash.get(_BEFORE, set()))
        report.sections.append(
            ("mpspec: new /dev/shm entries when it failed", ", ".join(new) or "none")
        )


def _check(request, processes, threads, segments):
    # This fixture is torn down after the test's other fixtures (it was set up
    # first). What they made is still referenced from the item until pytest
    # clears it after teardown: let it go now, so that it can be finalized.
    if isinstance(getattr(request.node, "funcargs", None), dict):
        request.node.funcargs.clear()
    # Finalize what the test dropped here, at a known point: a semaphore
    # finalized by a garbage collection that happens to run inside the
    # resource tracker's own code is a reentrant call, which CPython 3.12+
    # refuses ("ResourceTracker called reentrantly ... might leak").
    gc.collect()
    if sys.implementation.name != "cpython":
        gc.collect()  # PyPy runs the weakref callbacks found by one collection in the next
    problems = []
    left = new_descendants(processes)
    if left:
        # A process still exiting when the test ends is not left behind: some
        # implementations report a child's exit before it has fully ended.
        proctree.wait_until(lambda: not new_descendants(processes), GRACE)
        left = new_descendants(processes)
    if left:
        problems.append("processes (killed now):\n" + proctree.describe(left))
        proctree.kill_all(left)
    proctree.wait_until(lambda: not _new_threads(threads), GRACE)
    left = _new_threads(threads)
    if left:
        problems.append("threads still running: " + ", ".join(t.name for t in left))
    left = shm_leftovers(segments)
    if left:
        # multiprocessing creates some semaphores and unlinks them at once (fork
        # context): such an entry can be seen for a moment; it is not a leak.
        proctree.wait_until(lambda: not shm_leftovers(segments), GRACE)
        left = shm_leftovers(segments)
    if left:
        # Unlink only what nobody uses: what this process still maps belongs to
        # live objects (kept by a failure's traceback, say), whose finalizers
        # unlink it, and would fail if it were gone.
        ids = file_ids(left)
        held = procfs.files_in_use([os.getpid()], ids)
        orphans = [name for key, name in ids.items() if key not in held]
        problems.append("/dev/shm entries: " + ", ".join(left) + f" ({len(orphans)} unlinked now)")
        for name in orphans:
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(SHM_DIR, name))
    return problems


def _new_threads(before):
    return [t for t in threading.enumerate() if t not in before and t.is_alive()]


def shm_entries():
    """The names in /dev/shm now (empty where there is none)."""
    try:
        return set(os.listdir(SHM_DIR))
    except OSError:  # no /dev/shm on this platform
        return set()


def file_ids(names):
    """``{(st_dev, st_ino): name}`` for those /dev/shm ``names`` that still exist."""
    found = {}
    for name in names:
        with contextlib.suppress(OSError):
            st = os.stat(os.path.join(SHM_DIR, name))
            found[(st.st_dev, st.st_ino)] = name
    return found


def shm_leftovers(before, ours=None):
    """/dev/shm entries new since ``before`` that no process outside our tree uses.

    ``ours`` is the pids of this test's tree (default: this process and its
    descendants but the forkserver and resource tracker, which live for the
    whole session: what they use is not a test's leftover). An entry that
    another process maps or holds open belongs to that process, whatever mount
    it sees /dev/shm through: another test running at the same time
    (pytest-xdist), or another run of the spec.
    """
    ids = file_ids(shm_entries() - before)
    if not ids:
        return []
    if ours is None:
        ours = {os.getpid()} | {p.pid for p in proctree.descendants()}
    elsewhere = procfs.files_in_use((pid for pid in psutil.pids() if pid not in ours), ids)
    still_there = shm_entries()
    return sorted(name for key, name in ids.items() if key not in elsewhere and name in still_there)


def new_descendants(before):
    """Descendants started since ``before`` was taken, infrastructure excluded."""
    return proctree.without_infrastructure(
        pid for pid, _ in set(procfs.descendants_and_starts()) - before
    )
