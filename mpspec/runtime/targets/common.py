"""Child targets that claims of several topics share: send, echo, wait, exit, pools' slots.

See :mod:`mpspec.runtime.targets` for the rules every target follows.
"""

import os
import sys
import time

from mpspec.runtime import channel, impl, procfs
from mpspec.runtime.bounds import TIMEOUT

# A module global with a known import-time value (claim isolated-globals).
STATE = "import-time"

# Set by a Pool initializer (claim pool-get-timeout): synchronisation objects
# may reach pool workers only through inheritance, not as task arguments.
_pool_events = {}


def do_nothing():
    """Exit at once with status 0."""


def send(value, conn):
    """Send ``value`` on ``conn``."""
    conn.send(value)
    conn.close()


def send_state(conn):
    """Send this process's view of ``STATE``."""
    conn.send(STATE)
    conn.close()


def set_state(value, conn):
    """Change ``STATE`` in this process and send it back to confirm."""
    global STATE
    STATE = value
    conn.send(STATE)
    conn.close()


def echo_once(conn):
    """Receive one message on ``conn`` and send it back."""
    if conn.poll(TIMEOUT):
        conn.send(("echo", conn.recv()))
    conn.close()


def send_rss_after_allocating(conn, nbytes):
    """Allocate and touch ``nbytes``, send our resident set size, then exit."""
    ballast = bytearray(nbytes)
    for i in range(0, nbytes, 4096):
        ballast[i] = 1
    conn.send(procfs.resident_bytes())
    conn.close()


def outlive_parent(inbox, owner, seconds, conn):
    """Report to ``inbox`` how this child fares when ``owner`` (the process that started it) dies.

    Sends "child-started" with our parent and grandparent pids, then works for
    up to ``seconds`` (simulated work, as in the tutorial's examples). If
    ``owner`` ends meanwhile, sends "parent-gone" with our parent and
    grandparent pids as they are then, and returns. If the work runs to its
    end, sends "child-finished".
    """
    parent = os.getppid()
    channel.send(inbox, "child-started", ppid=parent, grandparent=procfs.parent_of(parent))
    conn.send("started")
    conn.close()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        # A zombie owner has already exited and handed its children on.
        if procfs.state(owner) in (None, "Z"):
            parent = os.getppid()
            channel.send(inbox, "parent-gone", ppid=parent, grandparent=procfs.parent_of(parent))
            return
        time.sleep(0.002)
    channel.send(inbox, "child-finished")


def try_to_start_a_child(method, conn):
    """Try to start a grandchild; send ("started", exitcode) or ("refused", error text)."""
    ctx = impl.context(method)
    grandchild = ctx.Process(target=do_nothing)
    try:
        grandchild.start()
    except AssertionError as exc:
        conn.send(("refused", str(exc)))
    else:
        grandchild.join(TIMEOUT)
        conn.send(("started", grandchild.exitcode))
    conn.close()


def work_after_release(release, done_conn, seconds):
    """Wait for ``release`` (bounded), work for ``seconds``, then report completion."""
    if release.poll(TIMEOUT):
        release.recv()
        time.sleep(seconds)  # simulated work after the release
        done_conn.send("done")
    done_conn.close()


def init_pool_slots(generation, started, release, done):
    """Pool initializer: keep the per-slot events where slot tasks can find them."""
    _pool_events.update(generation=generation, started=started, release=release, done=done)


def hold_slot(x, generation, timeout=TIMEOUT):
    """A pool task holding slot ``x``: say it started, wait (bounded) for release, finish.

    Returns ``(x, our pid, finish time, whether it was released)`` and sets slot
    ``x``'s done event on the way out (see :mod:`mpspec.plugin.pools`). A task of an
    earlier ``generation`` (a test that ended before it ran) returns at once
    and touches no event.
    """
    if generation != _pool_events["generation"].value:
        return x, os.getpid(), time.monotonic(), False
    _pool_events["started"][x].set()
    released = _pool_events["release"][x].wait(timeout)
    finished = time.monotonic()
    _pool_events["done"][x].set()
    return x, os.getpid(), finished, released


def square(x):
    return x * x


def exit_with(code):
    sys.exit(code)


def put_nowait_and_report(q, item, conn):
    """Try ``q.put_nowait(item)``; send "put" or the exception's class name."""
    try:
        q.put_nowait(item)
    except Exception as exc:
        conn.send(type(exc).__name__)
    else:
        conn.send("put")
    conn.close()


def run_all(threads):
    """Start every thread, then wait for each to end."""
    for t in threads:
        t.start()
    for t in threads:
        t.join()
