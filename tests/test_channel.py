"""The inbox (mpspec.runtime.channel): events from any process, waits that end."""

import os
import time

import pytest

from mpspec.runtime import channel


def test_an_event_sent_to_the_inbox_arrives_with_the_sender_s_pid():
    with channel.Inbox() as inbox:
        channel.send(inbox.address, "hello", n=1)
        assert inbox.expect("hello", timeout=5) == {"event": "hello", "n": 1, "pid": os.getpid()}


def test_expect_matches_fields_and_keeps_earlier_events():
    with channel.Inbox() as inbox:
        for n in range(3):
            channel.send(inbox.address, "tick", n=n)
        assert inbox.expect("tick", timeout=5, n=2)["n"] == 2
        assert [e["n"] for e in inbox.events("tick")] == [0, 1, 2]


def test_expect_fails_after_its_timeout_and_names_what_arrived():
    with channel.Inbox() as inbox:
        channel.send(inbox.address, "other")
        started = time.monotonic()
        with pytest.raises(AssertionError, match=r"no 'missing' event.*'other'"):
            inbox.expect("missing", timeout=0.05)
        assert 0.05 <= time.monotonic() - started < 5


def test_drain_returns_everything_received_and_close_removes_the_socket():
    inbox = channel.Inbox()
    channel.send(inbox.address, "a")
    channel.send(inbox.address, "b")
    assert [e["event"] for e in inbox.drain(timeout=5)] == ["a", "b"]
    inbox.close()
    assert not os.path.exists(inbox.address)
