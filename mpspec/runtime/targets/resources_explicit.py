"""Child targets of spec/test_resources_explicit.py.

See :mod:`mpspec.runtime.targets` for the rules every target follows.
"""

from mpspec.runtime import impl
from mpspec.runtime.bounds import REFUSAL

# A Lock made when this module is imported, as code written for fork often makes one:
# each process that imports the module afresh (spawn, forkserver) has a lock of its own.
LOCK = impl.load().get_context("spawn").Lock()


def try_import_time_lock(passed, conn):
    """Send whether this process can take ``LOCK`` (the one it finds at
    import) and ``passed`` (the parent's, given as an argument), waiting REFUSAL for each."""
    results = []
    for lock in (LOCK, passed):
        taken = lock.acquire(timeout=REFUSAL)
        if taken:
            lock.release()
        results.append(taken)
    conn.send(results)
    conn.close()
