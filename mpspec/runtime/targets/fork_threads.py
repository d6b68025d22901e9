"""Child targets of spec/test_fork_threads.py.

See :mod:`mpspec.runtime.targets` for the rules every target follows.
"""

import threading

from mpspec.runtime.bounds import REFUSAL

# A lock that a thread of the test process holds while it starts a child (see
# spec/test_fork_threads.py): a fork child gets a copy of it as it is then.
HELD_BY_A_THREAD = threading.Lock()


def report_threads_and_lock(conn):
    """Send how many threads this process has and whether HELD_BY_A_THREAD can be taken."""
    acquired = HELD_BY_A_THREAD.acquire(timeout=REFUSAL)
    if acquired:
        HELD_BY_A_THREAD.release()
    conn.send({"threads": threading.active_count(), "lock_free": acquired})
    conn.close()
