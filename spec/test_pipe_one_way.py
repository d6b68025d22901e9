"""Pipe() and Pipe(duplex=False): which end sends and which receives.

Tutorial, section "进程间通信 › Pipe": by default both ends of a pipe can send and
receive; a pipe made with duplex=False only receives on its first end and only
sends on its second. The tests read the ends' readable/writable attributes and
use each end in the wrong direction. Verdict: spec/claims.toml.
"""

import pytest

from mpspec.runtime.bounds import TIMEOUT
from mpspec.runtime.targets import common, pipe_one_way

pytestmark = pytest.mark.claim("pipe-one-way")


@pytest.fixture
def one_way_pipe(ctx):
    receiver, sender = ctx.Pipe(duplex=False)
    yield receiver, sender
    receiver.close()
    sender.close()


def test_both_ends_of_a_default_pipe_send_and_receive_across_processes(ctx):
    """Pipe() is duplex: the parent sends on its end, and the child receives and answers on
    the other."""
    ours, theirs = ctx.Pipe()
    assert (ours.readable, ours.writable, theirs.readable, theirs.writable) == (True,) * 4
    proc = ctx.Process(target=pipe_one_way.echo_once, args=(theirs,))
    proc.start()
    theirs.close()
    try:
        ours.send("ping")  # the child receives on its end and sends back on it
        assert ours.poll(TIMEOUT)
        assert ours.recv() == ("echo", "ping")
    finally:
        proc.join(TIMEOUT)
        ours.close()
    assert proc.exitcode == 0


def test_one_way_pipe_returns_the_receive_end_first(one_way_pipe):
    """Pipe(duplex=False) returns (receive end, send end): the first is only readable, the
    second only writable."""
    receiver, sender = one_way_pipe
    assert (receiver.readable, receiver.writable) == (True, False)
    assert (sender.readable, sender.writable) == (False, True)


def test_one_way_pipe_carries_messages_from_a_child_s_send_end(ctx, one_way_pipe):
    """A message a child sends on the send end of a one-way pipe arrives at the receive end
    in the parent."""
    receiver, sender = one_way_pipe
    proc = ctx.Process(target=common.send, args=("from the child", sender))
    proc.start()
    try:
        assert receiver.poll(TIMEOUT)
        assert receiver.recv() == "from the child"
    finally:
        proc.join(TIMEOUT)


def test_sending_on_the_receive_end_raises_oserror(one_way_pipe):
    """Sending on the receive end of a one-way pipe raises OSError (read-only)."""
    receiver, _ = one_way_pipe
    with pytest.raises(OSError, match="read-only"):
        receiver.send("wrong way")


def test_receiving_on_the_send_end_raises_oserror(one_way_pipe):
    """poll() and recv() on the send end of a one-way pipe raise OSError (write-only)."""
    _, sender = one_way_pipe
    # poll(0) checks the direction like recv() but cannot block, so an end that
    # wrongly accepts receiving fails here instead of hanging in recv().
    with pytest.raises(OSError, match="write-only"):
        sender.poll(0)
    with pytest.raises(OSError, match="write-only"):
        sender.recv()
