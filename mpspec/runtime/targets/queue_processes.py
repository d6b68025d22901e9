"""Child targets of spec/test_queue_processes.py.

See :mod:`mpspec.runtime.targets` for the rules every target follows.
"""

import os
import threading

from mpspec.runtime.bounds import TIMEOUT
from mpspec.runtime.targets.common import run_all


def produce(q, producer, nthreads, nitems):
    """Put ``nitems`` distinct items from each of ``nthreads`` threads."""

    def put_items(thread):
        for i in range(nitems):
            q.put((producer, thread, i))

    threads = [threading.Thread(target=put_items, args=(t,)) for t in range(nthreads)]
    run_all(threads)


def consume(q, nthreads, conn):
    """Get items in ``nthreads`` threads until each thread gets a None; send all items."""
    import queue as queue_module

    received = []

    def get_items():
        mine = []
        while True:
            try:
                item = q.get(timeout=TIMEOUT)
            except queue_module.Empty:
                break
            if item is None:
                break
            mine.append(item)
        received.extend(mine)

    threads = [threading.Thread(target=get_items) for _ in range(nthreads)]
    run_all(threads)
    conn.send(received)
    conn.close()


def put_bytes(q, nbytes, put_returned):
    """Put one item of ``nbytes`` bytes, set ``put_returned``, then return (and exit)."""
    q.put(b"x" * nbytes)
    put_returned.set()


def put_many_then_exit(q, nitems, size, flush, conn):
    """Put ``nitems`` items of ``size`` bytes; report that put() returned; leave.

    ``flush``: close the queue and wait for its feeder thread before leaving;
    then, or otherwise at once, leave with os._exit().
    """
    for i in range(nitems):
        q.put((i, b"x" * size))
    conn.send("all puts returned")
    conn.close()
    if flush:
        q.close()
        q.join_thread()
    # Either way without the exit handlers and finalizers that a normal exit
    # runs, one of which would flush the queue too: only close() and
    # join_thread() can have delivered what arrives.
    os._exit(0)


def put_items_then_wait(q, nitems, size, conn):
    """Put ``nitems`` items ``(i, size bytes)``, report that put() returned, then return
    (a normal exit, which waits for the queue's feeder thread)."""
    for i in range(nitems):
        q.put((i, b"x" * size))
    conn.send("all puts returned")
    conn.close()
