"""How send_process_roots (mpspec.runtime.targets.basics) copes with a process table that
changes while it is read: the test's snapshot is made to miss a parent, as it does when
that parent ends between the read of its child's entry and its own."""

import os

import pytest

from mpspec.runtime import procfs
from mpspec.runtime.targets import basics

pytestmark = pytest.mark.skipif(
    not os.path.isdir("/proc/self"), reason="n/a: no /proc on this platform"
)


class Sent:
    """Stands in for a connection: keeps what is sent."""

    def send(self, obj):
        self.obj = obj

    def close(self):
        pass


def roots_with(monkeypatch, table):
    monkeypatch.setattr(procfs, "stats", lambda: table)
    sent = Sent()
    basics.send_process_roots(sent)
    return sent.obj


def test_a_chain_that_stops_at_a_parent_gone_from_the_snapshot_is_read_again_live(
    monkeypatch,
):
    table = procfs.stats()
    expected = roots_with(monkeypatch, dict(table))[os.getpid()]
    del table[os.getppid()]  # as if our parent had ended between the two reads
    assert roots_with(monkeypatch, table)[os.getpid()] == expected


def test_a_process_that_ended_with_its_parent_is_left_out(monkeypatch):
    with open("/proc/sys/kernel/pid_max") as f:
        gone = int(f.read()) + 1  # above pid_max: no process has it, nor the next pid
    table = procfs.stats()
    table[gone] = [b"S", str(gone + 1).encode(), *table[os.getpid()][2:]]
    assert gone not in roots_with(monkeypatch, table)
