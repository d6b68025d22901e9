"""Child targets of spec/test_sigchld.py.

See :mod:`mpspec.runtime.targets` for the rules every target follows.
"""

import os

from mpspec.runtime.bounds import TIMEOUT


def send_parent_then_wait(conn):
    """Send our parent's pid, then block until something arrives on ``conn`` (bounded)."""
    conn.send(os.getppid())
    if conn.poll(TIMEOUT):
        conn.recv()
    conn.close()
