"""A child that ended stays a zombie until its parent waits for it; what a zombie
keeps.

Tutorial, section "multiprocessing.Process 对象", on zombies: a child that is not
waited for becomes a zombie, and accumulated zombies use a lot of memory. The
verdict, which Process calls reap, and the forkserver's part: spec/claims.toml,
claim zombie-without-wait.
"""

import os
import subprocess
import sys

import pytest

from mpspec.plugin import proctree
from mpspec.runtime import impl
from mpspec.runtime.bounds import REFUSAL, TIMEOUT
from mpspec.runtime.targets import common, zombie

pytestmark = pytest.mark.claim("zombie-without-wait")


def start_and_let_exit(ctx, target=common.do_nothing, args=()):
    """Start a child and wait, without reaping it, until it has exited."""
    proc = ctx.Process(target=target, args=args)
    proc.start()
    assert proctree.wait_for_exit_without_reaping(proc, TIMEOUT)
    return proc


def is_zombie(pid):
    return proctree.wait_until(lambda: proctree.status(pid) == "zombie", timeout=TIMEOUT)


def test_exited_child_is_a_zombie_until_its_parent_reaps_it(ctx, start_method):
    """Under fork and spawn an exited, unjoined child is a zombie of the test process until
    join() reaps it; under forkserver the forkserver reaps it, so the caller never has a
    zombie: the sentinel becomes ready only once the child is gone. To see that order
    every time, the forkserver child is held just before its final os._exit(), after all
    else it does: its sentinel must not be ready while it is held."""
    if start_method == "forkserver":
        ours, theirs = ctx.Pipe()
        proc = ctx.Process(target=zombie.exit_when_released, args=(theirs,))
        proc.start()
        theirs.close()
        try:
            assert ours.poll(TIMEOUT)
            assert ours.recv() == "exiting"  # held at its end, still there
            assert not proctree.wait_for_exit_without_reaping(proc, REFUSAL)
            ours.send("exit now")
            assert proctree.wait_for_exit_without_reaping(proc, TIMEOUT)
            assert proctree.status(proc.pid) is None
        finally:
            ours.close()
            proc.join(TIMEOUT)
        return
    proc = start_and_let_exit(ctx)
    try:
        assert is_zombie(proc.pid)
        assert proctree.ancestors(proc.pid)[0] == os.getpid()
    finally:
        proc.join(TIMEOUT)
    assert proctree.status(proc.pid) is None


@pytest.mark.parametrize(
    "reaper",
    ["join", "is_alive", "active_children", "start_another", "exitcode", "repr", "close"],
)
def test_zombie_is_reaped_by_the_parent_s_process_calls(ctx, mp_impl, reaper):
    """An exited child stops being a zombie as soon as the parent calls join(), is_alive(),
    active_children(), starts another process, reads exitcode, calls repr() or close() on
    it: each of them polls the child."""
    proc = start_and_let_exit(ctx)
    pid = proc.pid  # a closed Process object answers nothing
    assert is_zombie(pid)
    other = None
    if reaper == "join":
        proc.join(TIMEOUT)
    elif reaper == "is_alive":
        assert not proc.is_alive()
    elif reaper == "active_children":
        assert proc not in mp_impl.active_children()
    elif reaper == "exitcode":
        assert proc.exitcode == 0
    elif reaper == "repr":
        repr(proc)
    elif reaper == "close":
        proc.close()
    else:
        other = ctx.Process(target=common.do_nothing)
        other.start()
    assert proctree.status(pid) is None
    if reaper != "close":
        assert proc.exitcode == 0
    if other is not None:
        other.join(TIMEOUT)


def test_zombie_holds_no_memory(ctx):
    """A child that held 64 MiB of resident memory holds none once it is a zombie: only its
    process-table entry remains."""
    nbytes = 64 * 1024 * 1024
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=zombie.send_rss_after_allocating, args=(sender, nbytes))
    proc.start()
    sender.close()
    try:
        assert receiver.poll(TIMEOUT)
        assert receiver.recv() >= nbytes  # the live child held the memory
        assert proctree.wait_for_exit_without_reaping(proc, TIMEOUT)
        assert is_zombie(proc.pid)
        with open(f"/proc/{proc.pid}/statm") as f:
            resident_pages = int(f.read().split()[1])
        assert resident_pages == 0
    finally:
        receiver.close()
        proc.join(TIMEOUT)


# A fresh interpreter (the disposition of SIGCHLD is the whole process's): it ignores
# SIGCHLD, starts a child that exits at once, waits (bounded) until the child is gone
# from the process table, though nothing of ours waited for it, then prints whether it
# went, and what is_alive() and exitcode say before and after join().
SIGCHLD_IGNORED = """
import signal
import sys
import time
from mpspec.runtime import procfs
from mpspec.runtime.bounds import TIMEOUT
from mpspec.runtime.targets import common

if __name__ == "__main__":
    ctx = __import__(sys.argv[1]).get_context(sys.argv[2])
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    child = ctx.Process(target=common.do_nothing)
    child.start()
    deadline = time.monotonic() + TIMEOUT
    while procfs.state(child.pid) is not None and time.monotonic() < deadline:
        time.sleep(0.002)  # polling, bounded by the deadline
    gone = procfs.state(child.pid) is None
    before = (child.is_alive(), child.exitcode)
    child.join(TIMEOUT)
    print(gone, *before, child.is_alive(), child.exitcode)
"""


def test_a_parent_that_ignores_sigchld_never_has_a_zombie_nor_an_exit_code(start_method):
    """A parent that set SIGCHLD to SIG_IGN has the kernel reap its children at once: an
    exited child is gone, no zombie left, though the parent never waited for it (without
    SIG_IGN it would stay a zombie, and the poll would run to its bound). Under fork and
    spawn the Process object then
    never learns that the child ended: is_alive() stays True and exitcode None, even after
    join(). Under forkserver the forkserver reaps the child and reports its exit code 0."""
    found = subprocess.run(
        [sys.executable, "-c", SIGCHLD_IGNORED, impl.name(), start_method],
        capture_output=True,
        text=True,
        timeout=2 * TIMEOUT,
        check=True,
    ).stdout.split()
    if start_method == "forkserver":
        assert found == ["True", "False", "0", "False", "0"]
    else:
        assert found == ["True", "True", "None", "True", "None"]
