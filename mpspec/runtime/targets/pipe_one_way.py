"""Child targets of spec/test_pipe_one_way.py.

See :mod:`mpspec.runtime.targets` for the rules every target follows.
"""

from mpspec.runtime.bounds import TIMEOUT


def echo_once(conn):
    """Receive one message on ``conn`` and send it back."""
    if conn.poll(TIMEOUT):
        conn.send(("echo", conn.recv()))
    conn.close()
