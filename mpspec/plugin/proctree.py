"""Process-tree helpers: bounded waits, descendants, tagged processes, clean-up.

Used by the test process (the leak check, the parent-program runner) and by
the subreaper wrapper. Everything here waits with a deadline.
"""

import contextlib
import os
import re
import select
import signal
import time

import psutil

from mpspec.runtime import procfs
from mpspec.runtime.bounds import KILL_BOUND

TAG_VAR = "MPSPEC_TAG"

# Long-lived helper processes that an implementation starts once and keeps:
# the forkserver and the resource (semaphore) tracker. They are shared by all
# tests of a session, so they are not a test's leftovers.
_INFRASTRUCTURE = re.compile(r"\b(forkserver|resource_tracker|semaphore_tracker) import main\b")


def wait_until(predicate, timeout, interval=0.002):
    """Poll ``predicate`` until it is true or ``timeout`` seconds passed; return its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


def wait_for_exit_without_reaping(process, timeout):
    """Wait (bounded) until ``process``'s sentinel is ready, without reaping it; True if it was."""
    return bool(select.select([process.sentinel], [], [], timeout)[0])


def wait_popen(popen, timeout):
    """``popen.wait(timeout)``, but woken by the exit itself where the platform allows.

    ``Popen.wait(timeout)`` polls, sleeping up to 50 ms between checks, so it
    notices an exit late. Where there is ``os.pidfd_open`` (Linux 5.3+ with
    CPython 3.9+) this sleeps on the process's pidfd instead, then reaps.
    """
    deadline = time.monotonic() + timeout
    pidfd_open = getattr(os, "pidfd_open", None)
    if pidfd_open is not None and popen.returncode is None:
        try:
            pidfd = pidfd_open(popen.pid)
        except OSError:  # no pidfd support in this kernel
            pass
        else:
            try:
                select.select([pidfd], [], [], timeout)
            finally:
                os.close(pidfd)
    return popen.wait(max(0.0, deadline - time.monotonic()))


def stop(process, timeout):
    """Kill a Process object's process if it still runs, then join it (bounded).

    Clean-up for tests: it uses SIGKILL through ``os.kill`` rather than
    ``Process.kill()``, which not every implementation has.
    """
    pid = getattr(process, "pid", None)  # a thread posing as a process has none
    if pid is not None and process.exitcode is None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    process.join(timeout)


# The CPUs this process may run on, sorted: the runtime's, which child targets use too.
usable_cpus = procfs.usable_cpus


def status(pid):
    """psutil's status of ``pid`` ("running", "sleeping", "zombie", ...), or None if it is gone."""
    try:
        return psutil.Process(pid).status()
    except psutil.NoSuchProcess:
        return None


def exists(pid):
    return status(pid) is not None


def ancestors(pid):
    """The pids from ``pid``'s parent up to the root of the tree, nearest first."""
    chain = []
    try:
        proc = psutil.Process(pid).parent()
        while proc is not None:
            chain.append(proc.pid)
            proc = proc.parent()
    except psutil.NoSuchProcess:
        pass
    return chain


def _cmdline(proc):
    try:
        return " ".join(proc.cmdline())
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return ""


def is_infrastructure(proc):
    """Whether ``proc`` is a forkserver or resource tracker.

    A forkserver's children are forked without exec, so they carry its command
    line too: only a matching process whose parent does not match is the server.
    """
    if not _INFRASTRUCTURE.search(_cmdline(proc)):
        return False
    try:
        parent = proc.parent()
    except psutil.NoSuchProcess:
        return False
    return parent is None or not _INFRASTRUCTURE.search(_cmdline(parent))


def descendants(pid=None):
    """Live and zombie descendants of ``pid`` (default: this process), infrastructure excluded."""
    return without_infrastructure(procfs.descendant_pids(pid))


def without_infrastructure(pids):
    """psutil objects for those of ``pids`` that still exist and are no forkserver or tracker."""
    procs = []
    for pid in pids:
        with contextlib.suppress(psutil.NoSuchProcess):
            procs.append(psutil.Process(pid))
    return [p for p in procs if not is_infrastructure(p)]


def tagged(tag):
    """Processes whose environment carries ``MPSPEC_TAG=tag`` (including orphans)."""
    found = []
    for pid in procfs.pids_with_environ(f"{TAG_VAR}={tag}".encode()):
        with contextlib.suppress(psutil.NoSuchProcess):
            found.append(psutil.Process(pid))
    return found


def describe(procs):
    lines = []
    for p in procs:
        try:
            lines.append(f"pid {p.pid} ({p.status()}, ppid {p.ppid()}): {' '.join(p.cmdline())}")
        except psutil.Error:
            lines.append(f"pid {p.pid} (gone)")
    return "\n".join(lines)


def kill_all(procs, timeout=KILL_BOUND):
    """SIGKILL ``procs``, reap those that are our children, and wait for the rest to vanish.

    Returns the processes still present after ``timeout`` (an orphan is reaped by
    whoever adopted it, and pid 1 may take its time).
    """
    for p in procs:
        with contextlib.suppress(psutil.NoSuchProcess):
            p.send_signal(signal.SIGKILL)
    _, alive = psutil.wait_procs(procs, timeout=timeout)
    return alive
