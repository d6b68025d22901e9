"""Child targets for the pitfalls of moving off fork: what fd 0 is in a child, a lock
made at import in the forkserver, a lambda as target.

See :mod:`mpspec.runtime.targets` for the rules every target follows.
"""

import os
import select
import sys

from mpspec.runtime.bounds import REFUSAL, TIMEOUT


def file_identity(fd):
    """(st_dev, st_ino) of what descriptor ``fd`` is open on here, or None if closed."""
    try:
        st = os.fstat(fd)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def read_descriptor_0(conn):
    """Send what descriptor 0 is open on (``file_identity``), the bytes one os.read() of
    it returns once it is readable (None if it is not within TIMEOUT, or is closed), and
    whether ``sys.stdin`` is os.devnull."""
    data = None
    try:
        if select.select([0], [], [], TIMEOUT)[0]:
            data = os.read(0, 1024)
    except OSError:  # descriptor 0 closed
        pass
    try:
        devnull = os.path.samestat(os.fstat(sys.stdin.fileno()), os.stat(os.devnull))
    except (AttributeError, OSError, ValueError):
        devnull = False
    conn.send({"fd0": file_identity(0), "read": data, "stdin_is_devnull": devnull})
    conn.close()


def hold_preloaded_lock(held, release):
    """Take ``preloaded_lock.LOCK`` (without waiting: a free lock is taken at once), set
    ``held`` if we did, and keep it until ``release`` is set (bounded)."""
    from mpspec.runtime.targets import preloaded_lock

    if not preloaded_lock.LOCK.acquire(False):
        return
    try:
        held.set()
        release.wait(TIMEOUT)
    finally:
        preloaded_lock.LOCK.release()


def try_preloaded_lock(conn):
    """Send whether we can take ``preloaded_lock.LOCK`` within REFUSAL, and whether the
    module was imported by our parent (the forkserver, for a forkserver child)."""
    from mpspec.runtime.targets import preloaded_lock

    taken = preloaded_lock.LOCK.acquire(timeout=REFUSAL)
    if taken:
        preloaded_lock.LOCK.release()
    conn.send({"taken": taken, "made_by_parent": os.getppid() == preloaded_lock.MADE_IN})
    conn.close()


def try_lock(lock, conn):
    """Send whether we can take ``lock`` (passed by the parent) within REFUSAL."""
    taken = lock.acquire(timeout=REFUSAL)
    if taken:
        lock.release()
    conn.send(taken)
    conn.close()


def send_ran(conn):
    """Send "ran"."""
    conn.send("ran")
    conn.close()


# A lambda at module level: pickle finds it by its module and its name, "<lambda>",
# which is no attribute of the module.
send_ran_lambda = lambda conn: (conn.send("ran"), conn.close())  # noqa: E731
