"""Child targets of spec/test_resources_explicit.py.

See :mod:`mpspec.runtime.targets` for the rules every target follows.
"""

import os

from mpspec.runtime.bounds import REFUSAL, TIMEOUT


def try_import_time_lock(passed, conn):
    """Send whether this process can take ``resources_explicit_lock.LOCK`` (the one it
    finds at import) and ``passed`` (the parent's, given as an argument), waiting REFUSAL
    for each."""
    from mpspec.runtime.targets import resources_explicit_lock

    results = []
    for lock in (resources_explicit_lock.LOCK, passed):
        taken = lock.acquire(timeout=REFUSAL)
        if taken:
            lock.release()
        results.append(taken)
    conn.send(results)
    conn.close()


def hold_preloaded_lock(held, release):
    """Take ``resources_explicit_preloaded_lock.LOCK`` (without waiting: a free lock is
    taken at once), set ``held`` if we did, and keep it until ``release`` is set
    (bounded)."""
    from mpspec.runtime.targets import resources_explicit_preloaded_lock

    if not resources_explicit_preloaded_lock.LOCK.acquire(False):
        return
    try:
        held.set()
        release.wait(TIMEOUT)
    finally:
        resources_explicit_preloaded_lock.LOCK.release()


def try_preloaded_lock(conn):
    """Send whether we can take ``resources_explicit_preloaded_lock.LOCK`` within REFUSAL,
    and whether the module was imported by our parent (the forkserver, for a forkserver
    child)."""
    from mpspec.runtime.targets import resources_explicit_preloaded_lock

    taken = resources_explicit_preloaded_lock.LOCK.acquire(timeout=REFUSAL)
    if taken:
        resources_explicit_preloaded_lock.LOCK.release()
    conn.send(
        {
            "taken": taken,
            "made_by_parent": os.getppid() == resources_explicit_preloaded_lock.MADE_IN,
        }
    )
    conn.close()


def try_lock(lock, conn):
    """Send whether we can take ``lock`` (passed by the parent) within REFUSAL."""
    taken = lock.acquire(timeout=REFUSAL)
    if taken:
        lock.release()
    conn.send(taken)
    conn.close()
