"""Child targets that several spec modules, the plugin's helpers or the parent programs
of :mod:`mpspec.runtime.scenarios` share: start, send, wait, outlive the parent, spin on
a CPU, and the pool tasks that hold the slots of :mod:`mpspec.plugin.pools`.

See :mod:`mpspec.runtime.targets` for the rules every target follows.
"""

import os
import time

from mpspec.runtime import channel, procfs
from mpspec.runtime.bounds import TIMEOUT


def do_nothing():
    """Exit at once with status 0."""


def send(value, conn):
    """Send ``value`` on ``conn``."""
    conn.send(value)
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


def work_after_release(release, done_conn, seconds):
    """Wait for ``release`` (bounded), work for ``seconds``, then report completion."""
    if release.poll(TIMEOUT):
        release.recv()
        time.sleep(seconds)  # simulated work after the release
        done_conn.send("done")
    done_conn.close()


def run_all(threads):
    """Start every thread, then wait for each to end."""
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def _spin_for_cpu(cpu_seconds, used, index, samples):
    """Spin until every process sharing ``used`` has used ``cpu_seconds`` more CPU time, or
    TIMEOUT of wall time has passed; every few microseconds of work, append (wall, CPU)
    times to ``samples`` and publish this process's CPU time so far in ``used[index]``.

    A spin bounded in CPU time is the same work on an idle machine and on a busy one: it
    just takes longer where other processes share the CPU. Spinning until *all* have had
    their CPU time keeps each one on its CPU for as long as the slowest needs, so a child
    that the scheduler runs first cannot finish before the others begin."""
    cpu_start = time.process_time()
    deadline = time.monotonic() + TIMEOUT
    while True:
        for _ in range(200):
            pass
        now, cpu = time.monotonic(), time.process_time()
        samples.append((now, cpu))
        used[index] = cpu - cpu_start
        if min(used) >= cpu_seconds or now >= deadline:
            return


def spin_on_cpu(cpu, start, cpu_seconds, used, index, conn):
    """Pin to ``cpu`` (None: stay unpinned), say "ready", wait for ``start``, spin until
    this child and every other child sharing ``used`` (a shared array of CPU times, one
    slot each; this child's is ``index``) have used ``cpu_seconds`` of CPU time.

    Then sends when it began, (wall, CPU) time samples taken as the work progressed,
    and the CPU time used.
    """
    if cpu is not None:
        procfs.pin_to(cpu)
    conn.send("ready")
    start.wait(TIMEOUT)
    samples = []
    cpu_before = time.process_time()
    began = time.monotonic()
    _spin_for_cpu(cpu_seconds, used, index, samples)
    conn.send({"began": began, "samples": samples, "cpu": time.process_time() - cpu_before})
    conn.close()


# Set by a Pool initializer (claim pool-get-timeout): synchronisation objects
# may reach pool workers only through inheritance, not as task arguments.
_pool_events = {}


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
