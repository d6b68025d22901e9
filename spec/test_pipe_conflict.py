"""Two processes on the two ends of a pipe do not conflict; two on the same end can.

Tutorial, section "进程间通信 › Pipe": processes that use different ends at the
same time are fine, processes that use the same end at the same time may
conflict. Holds. The conflict is made certain: two writers send messages four
times larger than the pipe buffer on one end, and reading starts only once both
are blocked in the kernel's pipe write.
"""

import threading

import pytest

from mpspec import children, proctree
from mpspec.channel import TIMEOUT

pytestmark = pytest.mark.claim("pipe-same-end-conflict")

BIG = 4 * 64 * 1024  # four times Linux's default pipe buffer


def blocked_writing_a_pipe(pid):
    with open(f"/proc/{pid}/wchan") as f:
        return "pipe_write" in f.read()


def test_messages_sent_at_once_on_the_same_end_arrive_corrupted(ctx):
    """Two processes sending big messages on the same end at the same time interleave their
    bytes: the first message received is not one writer's message intact."""
    receiver, sender = ctx.Pipe(duplex=False)
    start = ctx.Event()
    writers = [
        ctx.Process(target=children.send_bytes_when_started, args=(sender, fill, BIG, start))
        for fill in (ord("a"), ord("b"))
    ]
    for w in writers:
        w.start()
    start.set()
    try:
        assert proctree.wait_until(
            lambda: all(blocked_writing_a_pipe(w.pid) for w in writers), TIMEOUT
        )
        assert receiver.poll(TIMEOUT)
        first = receiver.recv_bytes()
        assert len(set(first)) > 1 or len(first) != BIG  # not one writer's message intact
    finally:
        for w in writers:
            proctree.stop(w, TIMEOUT)
        receiver.close()
        sender.close()


def test_two_processes_on_different_ends_exchange_big_messages_at_once(ctx):
    """Two processes that send big messages on opposite ends of one pipe at the same time
    each receive the other's message intact."""
    ours, theirs = ctx.Pipe()
    proc = ctx.Process(target=children.exchange_big_messages, args=(theirs, BIG))
    proc.start()
    theirs.close()
    try:
        # Both sides send at the same time; each side's message must arrive intact.
        sender = threading.Thread(target=ours.send_bytes, args=(b"p" * BIG,))
        sender.start()
        assert ours.poll(TIMEOUT)
        assert ours.recv_bytes() == b"c" * BIG
        sender.join(TIMEOUT)
        assert ours.poll(TIMEOUT)
        assert ours.recv() is True  # the child got ours intact
    finally:
        proc.join(TIMEOUT)
        ours.close()
