"""Child targets of spec/test_zombie.py.

See :mod:`mpspec.runtime.targets` for the rules every target follows.
"""

import os

from mpspec.runtime import procfs
from mpspec.runtime.bounds import TIMEOUT


def send_rss_after_allocating(conn, nbytes):
    """Allocate and touch ``nbytes``, send our resident set size, then exit."""
    ballast = bytearray(nbytes)
    for i in range(0, nbytes, 4096):
        ballast[i] = 1
    conn.send(procfs.resident_bytes())
    conn.close()


def exit_when_released(conn):
    """Return at once, but hold the process at its very end: the next ``os._exit()`` (the
    call with which a fork or forkserver child ends, after everything else it does,
    reporting its exit code included) first says "exiting" on ``conn``, then waits until
    something arrives there (bounded), then exits."""
    real_exit = os._exit

    def held_exit(code):
        conn.send("exiting")
        if conn.poll(TIMEOUT):
            conn.recv()
        real_exit(code)

    os._exit = held_exit
