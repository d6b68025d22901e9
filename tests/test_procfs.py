"""The /proc process table (mpspec.runtime.procfs) against processes we start."""

import os
import subprocess
import sys

import pytest

from mpspec.runtime import procfs

pytestmark = pytest.mark.skipif(
    not os.path.isdir("/proc/self"), reason="n/a: no /proc on this platform"
)

PR_SET_NAME = 15
# A child that starts a grandchild, names itself awkwardly, says the grandchild's
# pid, and waits for its standard input to close (the grandchild does too).
CHILD = """
import ctypes, subprocess, sys
grandchild = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"],
                              stdin=subprocess.PIPE)
ctypes.CDLL(None).prctl({name}, b"x) (y z", 0, 0, 0)
print(grandchild.pid, flush=True)
sys.stdin.read()
grandchild.stdin.close()
grandchild.wait()
"""


@pytest.fixture
def child_and_grandchild():
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD.format(name=PR_SET_NAME)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        grandchild = int(child.stdout.readline())
        yield child.pid, grandchild
    finally:
        child.stdin.close()
        child.wait(20)
        child.stdout.close()


def test_parents_maps_each_pid_to_its_parent_even_with_parentheses_in_its_name(
    child_and_grandchild,
):
    child, grandchild = child_and_grandchild
    with open(f"/proc/{child}/comm") as f:
        assert f.read().strip() == "x) (y z"
    table = procfs.parents()
    assert table[child] == os.getpid()
    assert table[grandchild] == child
    assert table[os.getpid()] == os.getppid()


def test_descendant_pids_lists_children_and_grandchildren_only(child_and_grandchild):
    child, grandchild = child_and_grandchild
    assert set(procfs.descendant_pids()) >= {child, grandchild}
    assert procfs.descendant_pids(child) == [grandchild]
    assert procfs.descendant_pids(grandchild) == []
    assert os.getpid() not in procfs.descendant_pids()


def test_stat_gives_the_fields_after_the_command_name(child_and_grandchild):
    child, _ = child_and_grandchild
    fields = procfs.stat(child)
    assert fields[0] in (b"S", b"R")  # waiting for its stdin, or about to
    assert int(fields[1]) == os.getpid()
    assert set(procfs.stats()) >= {child, os.getpid()}


def test_descendants_pair_each_pid_with_its_start_time(child_and_grandchild):
    child, grandchild = child_and_grandchild
    found = dict(procfs.descendants_and_starts())
    assert {child, grandchild} <= set(found)
    assert found[child] == int(procfs.stat(child)[19]) > 0
    assert found[grandchild] >= found[child]  # started after its parent
