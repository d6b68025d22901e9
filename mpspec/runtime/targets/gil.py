"""Child targets of spec/test_gil.py.

See :mod:`mpspec.runtime.targets` for the rules every target follows.
"""

import os
import sys
import threading
import time

from mpspec.runtime import impl, procfs
from mpspec.runtime.bounds import TIMEOUT
from mpspec.runtime.targets.common import run_all


def _spin_until(deadline):
    """Spin until ``deadline``, looking at the clock every few microseconds of work."""
    while True:
        for _ in range(200):
            pass
        if time.monotonic() >= deadline:
            return


def spin_in_threads(nthreads, seconds, conn):
    """Spin in ``nthreads`` threads until a common deadline ``seconds`` away; send the CPU
    time they spun (each thread's own, from time.thread_time()) and the wall time from the
    first thread's start of spinning to the last one's end: thread start-up and joins
    count in neither."""

    deadline = time.monotonic() + seconds
    spans = []  # (began, ended, CPU seconds), one per thread

    def spin():
        began, cpu = time.monotonic(), time.thread_time()
        _spin_until(deadline)
        spans.append((began, time.monotonic(), time.thread_time() - cpu))

    threads = [threading.Thread(target=spin) for _ in range(nthreads)]
    run_all(threads)
    gil = getattr(sys, "_is_gil_enabled", lambda: True)()
    conn.send(
        {
            "cpu": sum(cpu for _, _, cpu in spans),
            "wall": max(end for _, end, _ in spans) - min(began for began, _, _ in spans),
            "gil_enabled": gil,
        }
    )
    conn.close()


# What /proc/<pid>/task/<tid>/wchan names while a thread sleeps in the kernel's
# nanosleep, or waits in select()/poll() (PyPy's time.sleep() is a select()); a thread
# waiting for the GIL or a lock waits in a futex instead.
BLOCKED_IN_IO = ("nanosleep", "poll", "select")


def _all_blocked_in_io(channels):
    return all(any(name in channel for name in BLOCKED_IN_IO) for channel in channels)


def _wait_channel(tid):
    try:
        with open(f"/proc/self/task/{tid}/wchan") as f:
            return f.read()
    except OSError:  # the thread has ended
        return "ended"


def block_in_threads(nthreads, how, conn):
    """Block ``nthreads`` threads at once in ``how``: "sleep" (time.sleep() in naps of
    0.01 s until released) or "select" (select.select() on a pipe that stays empty until
    released). This process's main thread watches each thread's kernel wait channel and
    releases them once it has seen all of them blocked in the call at the same moment, or
    after half of TIMEOUT. Sends whether it saw that, and the wait channels it saw last.

    A blocking call that held the GIL would let one thread into it at a time: the others
    would wait for the GIL, in a futex, and so would the watching thread.
    """
    import select

    r, w = os.pipe()
    released = threading.Event()
    tids = []
    ready = threading.Barrier(nthreads + 1)

    def block():
        tids.append(threading.get_native_id())  # list.append is atomic
        ready.wait(TIMEOUT)
        if how == "sleep":
            while not released.is_set():
                time.sleep(0.01)  # the blocking call under test
        else:
            select.select([r], [], [], TIMEOUT)  # the blocking call under test

    threads = [threading.Thread(target=block) for _ in range(nthreads)]
    for thread in threads:
        thread.start()
    ready.wait(TIMEOUT)
    # Half of TIMEOUT, so that the report reaches the test within its TIMEOUT either way.
    seen, deadline = [], time.monotonic() + TIMEOUT / 2
    while time.monotonic() < deadline:
        seen = [_wait_channel(tid) for tid in tids]
        if _all_blocked_in_io(seen):
            break
        time.sleep(0.001)  # polling, bounded by the deadline
    at_once = _all_blocked_in_io(seen)
    released.set()
    os.write(w, b"x")
    for thread in threads:
        thread.join(TIMEOUT)
    os.close(r)
    os.close(w)
    conn.send({"blocked_at_once": at_once, "threads": len(seen), "wait_channels": seen})
    conn.close()


def run_many_threads(nthreads, conn):
    """Start ``nthreads`` threads that all wait on one event; send how many ran at once.

    The threads are daemonic and still waiting when this returns: the process
    ends right after, and joining two thousand threads one by one would take
    longer than starting them.
    """

    release = threading.Event()
    started = 0
    for _ in range(nthreads):
        threading.Thread(target=release.wait, args=(TIMEOUT,), daemon=True).start()
        started += 1
    alive_at_once = threading.active_count()
    conn.send({"started": started, "alive_at_once": alive_at_once})
    conn.close()


def default_pool_size(method, conn):
    """Restrict our CPU affinity to one CPU, make Pool() without a size, send its size."""
    module = impl.load()
    procfs.pin_to(procfs.usable_cpus()[0])
    ctx = module.get_context(method)
    before = {p.pid for p in module.active_children()}
    pool = ctx.Pool()
    try:
        workers = [p for p in module.active_children() if p.pid not in before]
    finally:
        pool.terminate()
        pool.join()
    conn.send(
        {
            "workers": len(workers),
            "cpu_count": os.cpu_count(),
            "usable_cpus": len(procfs.usable_cpus()),
        }
    )
    conn.close()
