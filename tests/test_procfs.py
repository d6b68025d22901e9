"""The /proc process table (mpspec.runtime.procfs) against processes we start."""

import os
import subprocess
import sys

import pytest

from mpspec.plugin import proctree
from mpspec.runtime import procfs
from mpspec.runtime.bounds import TIMEOUT

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


def test_state_and_parent_of_a_running_process_a_zombie_and_a_gone_one(child_and_grandchild):
    child, grandchild = child_and_grandchild
    assert procfs.state(child) in ("S", "R")
    assert procfs.parent_of(child) == os.getpid()
    assert procfs.parent_of(grandchild) == child
    short = subprocess.Popen([sys.executable, "-c", ""])
    try:
        # Exited, and left unreaped, as psutil sees it (PyPy's os module has no waitid()).
        assert proctree.wait_until(lambda: proctree.status(short.pid) == "zombie", TIMEOUT)
        assert procfs.state(short.pid) == "Z"
        assert procfs.parent_of(short.pid) == os.getpid()
    finally:
        short.wait(TIMEOUT)
    assert procfs.state(short.pid) is None
    assert procfs.parent_of(short.pid) is None


def test_allowed_cpus_parses_the_cpus_allowed_list_line(tmp_path):
    status = tmp_path / "status"
    status.write_text("Name:\tx\nCpus_allowed:\t1a7\nCpus_allowed_list:\t0-2,5,7-8\nMems:\t1\n")
    assert procfs.allowed_cpus(str(status)) == [0, 1, 2, 5, 7, 8]


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="n/a: no os.sched_getaffinity")
def test_allowed_cpus_is_the_mask_that_sched_getaffinity_gives():
    assert procfs.allowed_cpus() == procfs.usable_cpus() == sorted(os.sched_getaffinity(0))


# Pins a fresh interpreter to a CPU and prints its affinity as /proc and the os module
# see it. "fallback": the os module's affinity functions are taken away first, as
# PyPy 7.3 lacks them, so that pin_to() goes through libc and usable_cpus() reads /proc.
PIN = """
import os, sys
if sys.argv[2] == "fallback":
    for name in ("sched_getaffinity", "sched_setaffinity"):
        if hasattr(os, name):
            delattr(os, name)
from mpspec.runtime import procfs
procfs.pin_to(int(sys.argv[1]))
print(procfs.usable_cpus(), procfs.allowed_cpus())
"""


@pytest.mark.parametrize("way", ["os", "fallback"])
def test_pin_to_restricts_the_process_to_that_cpu(way):
    cpus = procfs.usable_cpus()
    if len(cpus) < 2:
        pytest.skip(f"n/a: needs 2 usable CPUs to see a pin, this process may use {cpus}")
    if way == "os" and not hasattr(os, "sched_setaffinity"):
        pytest.skip("n/a: no os.sched_setaffinity")
    cpu = cpus[-1]  # not the first: a mask built wrong tends to name CPU 0
    out = subprocess.run(
        [sys.executable, "-c", PIN, str(cpu), way],
        capture_output=True,
        text=True,
        check=True,
        timeout=TIMEOUT,
    ).stdout
    assert out.split() == [f"[{cpu}]", f"[{cpu}]"]
