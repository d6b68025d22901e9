"""Child targets of spec/test_resources_explicit.py.

See :mod:`mpspec.runtime.targets` for the rules every target follows.
"""

from mpspec.runtime.bounds import REFUSAL


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
