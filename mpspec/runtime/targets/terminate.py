"""Child targets of spec/test_terminate.py.

See :mod:`mpspec.runtime.targets` for the rules every target follows.
"""

import os
import time

from mpspec.runtime import impl
from mpspec.runtime.bounds import TIMEOUT
from mpspec.runtime.targets.common import outlive_parent


def start_grandchild_then_wait(inbox, method, seconds, conn):
    """Start a grandchild that reports on outliving us; send its pid; wait to be terminated."""
    ctx = impl.context(method)
    receiver, sender = ctx.Pipe(duplex=False)
    grandchild = ctx.Process(target=outlive_parent, args=(inbox, os.getpid(), seconds, sender))
    grandchild.start()
    sender.close()
    if receiver.poll(TIMEOUT):
        receiver.recv()
    conn.send(grandchild.pid)
    time.sleep(TIMEOUT)  # the test terminates us long before this


def hold_lock(lock, conn):
    """Acquire ``lock``, say so, and keep it until terminated."""
    lock.acquire()
    conn.send("holding")
    time.sleep(TIMEOUT)  # the test terminates us long before this


def wait_on_event(event, conn):
    """Say so, then wait on ``event`` (bounded) until terminated."""
    conn.send("waiting")
    event.wait(TIMEOUT)


def set_event(event, conn):
    """Say "setting", set ``event``, and report that set() returned."""
    conn.send("setting")
    event.set()
    conn.send("set returned")
    conn.close()
