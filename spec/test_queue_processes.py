"""Queues between processes: many threads and processes at once; joining a child
that still has items to send; the feeder thread.

Tutorial, section "进程间通信 › Queue": a Queue is safe across threads and
processes, and its example joins the child before getting the item. Python
documentation: put() hands the item to a feeder thread and returns at once;
close() and join_thread() flush it. Verdicts: spec/claims.toml.
"""

import collections
import contextlib
import queue

import pytest

from mpspec.runtime import machine
from mpspec.runtime.bounds import TIMEOUT
from mpspec.runtime.targets import queue_processes

PIPE_BUFFER = machine.pipe_capacity()  # 64 KiB on Linux with 4 KiB pages
BLOCKED = 0.25  # how long a blocked call is given to prove it stays blocked


def drain(q):
    """Get every item the queue's pipe holds now, without waiting for more."""
    items = []
    while True:
        try:
            items.append(q.get_nowait())
        except queue.Empty:
            return items


@pytest.mark.claim("queue-process-safe")
def test_every_item_from_many_producers_reaches_exactly_one_consumer(ctx):
    """Items put by several producer processes (three threads each) are received by several
    consumer processes, each item exactly once."""
    producers, consumers, threads, items = 2, 2, 3, 150
    q = ctx.Queue()
    pipes, consumer_procs = [], []
    for _ in range(consumers):
        receiver, sender = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=queue_processes.consume, args=(q, threads, sender))
        proc.start()
        sender.close()
        pipes.append(receiver)
        consumer_procs.append(proc)
    producer_procs = [
        ctx.Process(target=queue_processes.produce, args=(q, p, threads, items))
        for p in range(producers)
    ]
    for proc in producer_procs:
        proc.start()
    for proc in producer_procs:
        proc.join(TIMEOUT)
    for _ in range(consumers * threads):
        q.put(None)  # one stop signal per consumer thread
    received = []
    for receiver in pipes:
        assert receiver.poll(TIMEOUT)
        received.extend(receiver.recv())
        receiver.close()
    for proc in consumer_procs:
        proc.join(TIMEOUT)
    q.close()
    q.join_thread()

    expected = [(p, t, i) for p in range(producers) for t in range(threads) for i in range(items)]
    counts = collections.Counter(received)
    assert sorted(counts) == sorted(expected)
    assert set(counts.values()) == {1}


@pytest.mark.claim("queue-join-before-get")
@pytest.mark.parametrize("nbytes", [1024, 4 * PIPE_BUFFER], ids=["small", "larger-than-pipe"])
@pytest.mark.timing(
    "a blocked child is given 0.25 s to prove it stays blocked; a faithful one never ends"
    " before the parent reads"
)
def test_joining_before_getting_works_only_for_items_that_fit_the_pipe(ctx, nbytes):
    """join() before get() returns for a child that put an item smaller than the pipe buffer;
    a child that put a bigger item stays alive until the parent gets it."""
    q = ctx.Queue()
    put_returned = ctx.Event()
    proc = ctx.Process(target=queue_processes.put_bytes, args=(q, nbytes, put_returned))
    proc.start()
    assert put_returned.wait(TIMEOUT)  # the child is past put() and about to exit...
    if nbytes < PIPE_BUFFER:
        proc.join(TIMEOUT)
        assert proc.exitcode == 0
    else:
        proc.join(BLOCKED)
        assert proc.exitcode is None  # stuck: its feeder thread cannot finish writing
    # Getting first always works, and then the child can exit.
    assert len(q.get(timeout=TIMEOUT)) == nbytes
    proc.join(TIMEOUT)
    assert proc.exitcode == 0
    q.close()
    q.join_thread()


@pytest.mark.claim("queue-join-before-get")
@pytest.mark.timing(
    "a blocked child is given 0.25 s to prove it stays blocked; a faithful one never ends"
    " before the parent reads"
)
def test_joining_before_getting_blocks_once_the_items_together_outgrow_the_pipe(ctx):
    """A child that put many small items, more bytes in all than the pipe buffer holds,
    stays alive after put() returned until the parent gets them: what counts is the data
    not yet read, not the size of one item."""
    size = 1000
    nitems = 2 * PIPE_BUFFER // size
    q = ctx.Queue()
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=queue_processes.put_items_then_wait, args=(q, nitems, size, sender))
    proc.start()
    sender.close()
    try:
        assert receiver.poll(TIMEOUT)
        assert receiver.recv() == "all puts returned"
        proc.join(BLOCKED)
        assert proc.exitcode is None  # its feeder thread is still writing
        assert [q.get(timeout=TIMEOUT)[0] for _ in range(nitems)] == list(range(nitems))
        proc.join(TIMEOUT)
        assert proc.exitcode == 0
    finally:
        receiver.close()
        q.close()
        q.join_thread()


def put_many(ctx, flush):
    """A child puts more than the pipe holds, then leaves; return what reached us."""
    size = 1000
    nitems = 3 * PIPE_BUFFER // size  # about three times what the pipe holds
    q = ctx.Queue()
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=queue_processes.put_many_then_exit, args=(q, nitems, size, flush, sender)
    )
    proc.start()
    sender.close()
    try:
        assert receiver.poll(TIMEOUT)
        assert receiver.recv() == "all puts returned"  # though most items are not in the pipe
        if flush:
            # Its exit waits for the feeder thread, which writes as we read.
            got = []
            with contextlib.suppress(queue.Empty):  # what never comes is asserted below
                while len(got) < nitems:
                    got.append(q.get(timeout=TIMEOUT))
        else:
            proc.join(TIMEOUT)  # it left with os._exit() at once
            got = drain(q)  # it is gone: the pipe holds all that will ever arrive
        proc.join(TIMEOUT)
        assert proc.exitcode == 0
        return nitems, [i for i, _ in got]
    finally:
        receiver.close()
        q.close()
        q.join_thread()


@pytest.mark.claim("queue-feeder-thread")
def test_items_put_just_before_os_exit_are_lost(ctx):
    """Items a child put just before os._exit() are lost, from the end: what arrives is a
    prefix, in order, shorter than what was put."""
    nitems, got = put_many(ctx, flush=False)
    # At most a pipe buffer's worth was written before the exit (often nothing).
    assert len(got) < nitems
    assert got == list(range(len(got)))  # what did arrive is the start, in order


@pytest.mark.claim("queue-feeder-thread")
def test_close_and_join_thread_flush_every_item(ctx):
    """A child that calls close() and join_thread() before os._exit() delivers every item it
    put."""
    nitems, got = put_many(ctx, flush=True)
    assert got == list(range(nitems))
