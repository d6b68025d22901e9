"""Targets that the spec's child processes run.

Spawn and forkserver children find a target by its module and name, so every
target lives here, at module level. A target that needs the implementation
under test loads it through :mod:`mpspec.impl`, which reads the name that the
harness put in the environment; it never imports ``multiprocessing`` itself.
"""

import os
import sys
import time

from mpspec import channel, impl

TIMEOUT = channel.TIMEOUT

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
    with open("/proc/self/statm") as f:
        resident_pages = int(f.read().split()[1])
    conn.send(resident_pages * os.sysconf("SC_PAGE_SIZE"))
    conn.close()


def outlive_parent(inbox, owner, seconds, conn):
    """Report to ``inbox`` how this child fares when ``owner`` (the process that started it) dies.

    Sends "child-started", then works for up to ``seconds`` (simulated work, as
    in the tutorial's examples). If ``owner`` ends meanwhile, sends "parent-gone"
    with our parent and grandparent pids as they are then, and returns. If the
    work runs to its end, sends "child-finished".
    """
    import psutil

    channel.send(inbox, "child-started", ppid=os.getppid())
    conn.send("started")
    conn.close()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            # A zombie owner has already exited and handed its children on.
            owner_gone = psutil.Process(owner).status() == psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            owner_gone = True
        if owner_gone:
            parent = os.getppid()
            channel.send(inbox, "parent-gone", ppid=parent, grandparent=_ppid_of(parent))
            return
        time.sleep(0.002)
    channel.send(inbox, "child-finished")


def _ppid_of(pid):
    import psutil

    try:
        return psutil.Process(pid).ppid()
    except psutil.NoSuchProcess:
        return None


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


def init_pool_events(started, release):
    """Pool initializer: keep the events where tasks can find them."""
    _pool_events["started"] = started
    _pool_events["release"] = release


def block_until_released(value, timeout=TIMEOUT):
    """A pool task: signal that it started, wait (bounded) for release, return ``value``."""
    _pool_events["started"].set()
    released = _pool_events["release"].wait(timeout)
    return (value, os.getpid(), released)


def square(x):
    return x * x


def pid():
    return os.getpid()


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
