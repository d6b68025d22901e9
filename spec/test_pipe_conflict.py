"""Two processes on the two ends of a pipe, and two on the same end.

Tutorial, section "进程间通信 › Pipe": processes that use different ends at the
same time are fine, processes that use the same end at the same time may
conflict. Verdict and sizes: spec/claims.toml, claim pipe-same-end-conflict.
The conflict is made certain, not left to the scheduler: a writer is suspended
(SIGSTOP, as a scheduler may preempt it at any moment) while its message is
partly written into a full pipe, and a second writer's message then goes into
the middle of it.
"""

import array
import fcntl
import os
import signal
import struct
import termios
import threading

import pytest

from mpspec.plugin import proctree
from mpspec.runtime import machine, procfs
from mpspec.runtime.bounds import TIMEOUT
from mpspec.runtime.targets import pipe_conflict

pytestmark = pytest.mark.claim("pipe-same-end-conflict")

BIG = 4 * machine.pipe_capacity()  # four times what a pipe holds


def blocked_writing_a_pipe(pid):
    with open(f"/proc/{pid}/wchan") as f:
        return "pipe_write" in f.read()


def blocked_reading(pid):
    """Whether ``pid`` sleeps in a read of a pipe or of a Unix socket (a two-way Pipe)."""
    with open(f"/proc/{pid}/wchan") as f:
        where = f.read()
    return "pipe_read" in where or "unix_stream_read" in where


def stopped(pid):
    return procfs.stat(pid)[0] == b"T"


def test_messages_sent_at_once_on_the_same_end_arrive_corrupted(ctx):
    """A message sent on the same end while another process is midway through sending
    its own goes into the middle of it: the message received first is not intact."""
    receiver, sender = ctx.Pipe(duplex=False)
    start = ctx.Event()
    start.set()
    first_writer, second_writer = (
        ctx.Process(target=pipe_conflict.send_bytes_when_started, args=(sender, fill, BIG, start))
        for fill in (ord("a"), ord("b"))
    )
    try:
        first_writer.start()
        # Its header and the start of its payload fill the pipe; it waits for room.
        assert proctree.wait_until(lambda: blocked_writing_a_pipe(first_writer.pid), TIMEOUT)
        os.kill(first_writer.pid, signal.SIGSTOP)
        assert proctree.wait_until(lambda: stopped(first_writer.pid), TIMEOUT)
        second_writer.start()
        assert proctree.wait_until(lambda: blocked_writing_a_pipe(second_writer.pid), TIMEOUT)
        assert receiver.poll(TIMEOUT)
        first = receiver.recv_bytes(BIG)  # the first writer's header, so its length
        assert first.startswith(b"a")
        assert b"b" in first  # the second writer's bytes, inside the first's message
    finally:
        for w in (first_writer, second_writer):
            # SIGKILL ends the stopped writer too.
            proctree.stop(w, TIMEOUT)
        receiver.close()
        sender.close()


def bytes_in(fd):
    """How many bytes wait to be read in the pipe whose read end is ``fd`` (FIONREAD)."""
    count = array.array("i", [0])
    fcntl.ioctl(fd, termios.FIONREAD, count, True)
    return count[0]


def fill(fd):
    """Write to ``fd`` until the pipe is full, one 4 KiB page at a time."""
    os.set_blocking(fd, False)
    try:
        while True:
            os.write(fd, bytes(4096))
    except BlockingIOError:
        pass
    finally:
        os.set_blocking(fd, True)


@pytest.mark.skipif(
    os.sysconf("SC_PAGE_SIZE") != 4096, reason="n/a: frees one 4 KiB page of a full pipe"
)
@pytest.mark.parametrize("payload", [4092, 4093])
def test_a_message_longer_than_4092_bytes_can_enter_a_pipe_in_pieces(ctx, payload, observe):
    """With one page (4 KiB) free in a full pipe, a message of 4,092 bytes (4,096 with its
    length header, PIPE_BUF) goes in whole, in one write(); one byte more, and the write
    puts 4,096 bytes in and waits for room for the last: the message is in the pipe in
    pieces, and another writer's bytes can come between them."""
    receiver, sender = ctx.Pipe(duplex=False)
    start = ctx.Event()
    start.set()
    fill(sender.fileno())
    os.read(receiver.fileno(), 4096)  # one page free
    before = bytes_in(receiver.fileno())
    proc = ctx.Process(
        target=pipe_conflict.send_bytes_when_started, args=(sender, ord("m"), payload, start)
    )
    try:
        proc.start()
        if payload + 4 <= 4096:
            proc.join(TIMEOUT)
            assert proc.exitcode == 0  # send_bytes() returned: all of it went in
        else:
            assert proctree.wait_until(lambda: blocked_writing_a_pipe(proc.pid), TIMEOUT)
        written = bytes_in(receiver.fileno()) - before
        observe(f"{written} of {payload + 4} bytes in")
        assert written == 4096
    finally:
        proctree.stop(proc, TIMEOUT)
        receiver.close()
        sender.close()


@pytest.mark.parametrize("duplex", [False, True], ids=["one-way", "two-way"])
def test_a_message_read_at_once_on_the_same_end_by_two_processes_is_lost_to_both(
    ctx, duplex, observe
):
    """Two processes receiving on the same end at once: the first, stopped midway through a
    message (as a scheduler may stop it), leaves the rest of that message in the pipe, and
    the second reads the rest as if it were a new message's length, too long to accept, and
    fails with OSError: the message sent next does not reach it. On a one-way Pipe and on a
    default (two-way) one alike."""
    readers_end, writers_end = ctx.Pipe(duplex=duplex)
    size, sent_first = 8192, 1024  # the first message, and how much of it is there at first
    reports = [ctx.Pipe(duplex=False) for _ in range(2)]
    first_reader, second_reader = (
        ctx.Process(target=pipe_conflict.receive_bytes_and_report, args=(readers_end, 4 * size, w))
        for _, w in reports
    )
    try:
        # The length header and the start of the payload, as a sender's first write()
        # leaves them; the rest comes later.
        os.write(writers_end.fileno(), struct.pack("!i", size) + b"a" * sent_first)
        first_reader.start()
        assert proctree.wait_until(lambda: blocked_reading(first_reader.pid), TIMEOUT)
        os.kill(first_reader.pid, signal.SIGSTOP)  # it has read the header and 1 KiB
        assert proctree.wait_until(lambda: stopped(first_reader.pid), TIMEOUT)
        second_reader.start()
        assert proctree.wait_until(lambda: blocked_reading(second_reader.pid), TIMEOUT)
        os.write(writers_end.fileno(), b"a" * (size - sent_first))  # the rest of it
        writers_end.send_bytes(b"b" * 16)  # the next message
        report = reports[1][0]
        assert report.poll(TIMEOUT)
        outcome = report.recv()
    finally:
        for reader in (first_reader, second_reader):
            proctree.stop(reader, TIMEOUT)  # SIGKILL ends the stopped reader too
        for conn in (readers_end, writers_end, *(c for pair in reports for c in pair)):
            conn.close()
    observe(" ".join(map(str, outcome)))
    # It took 4 bytes of the first message's rest for a length: b"aaaa", 1,633,771,873,
    # more than the 32 KiB it accepts, so recv_bytes() refused it ("bad message length").
    # It got neither the next message nor the whole of the first.
    assert outcome == ("error", "OSError")


def test_two_processes_on_different_ends_exchange_big_messages_at_once(ctx):
    """Two processes that send big messages on opposite ends of one pipe at the same time
    each receive the other's message intact."""
    ours, theirs = ctx.Pipe()
    proc = ctx.Process(target=pipe_conflict.exchange_big_messages, args=(theirs, BIG))
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
