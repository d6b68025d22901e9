"""When a child ends, which process the kernel notifies with SIGCHLD.

Tutorial, section "multiprocessing.Process 对象": a child that ends notifies its
parent. Which process is the parent differs by start method: the verdict is in
spec/claims.toml, claim sigchld-notifies-parent.
"""

import contextlib
import os
import signal

import pytest

from mpspec.plugin import proctree
from mpspec.runtime import procfs
from mpspec.runtime.bounds import TIMEOUT
from mpspec.runtime.targets import sigchld

pytestmark = pytest.mark.claim("sigchld-notifies-parent")


class SigchldLog:
    """What this process saw each time it received SIGCHLD: whether the ``watched`` child
    had exited by then (a zombie: exited, not yet reaped; read from /proc, as PyPy has no
    os.waitid)."""

    def __init__(self):
        self.watched = None
        self.received = []

    def __call__(self, signum, frame):
        exited = False
        if self.watched is not None:
            with contextlib.suppress(OSError):
                exited = procfs.stat(self.watched)[0] == b"Z"
        self.received.append(exited)


@pytest.fixture
def sigchld_received():
    """A SigchldLog of every SIGCHLD this process receives during the test."""
    log = SigchldLog()
    previous = signal.signal(signal.SIGCHLD, log)
    yield log
    signal.signal(signal.SIGCHLD, previous)


def catches(pid, signum):
    """Whether ``pid`` has a handler installed for ``signum`` (Linux /proc)."""
    with open(f"/proc/{pid}/status") as f:
        caught = next(int(line.split()[1], 16) for line in f if line.startswith("SigCgt:"))
    return bool(caught & (1 << (signum - 1)))


def test_the_child_s_parent_receives_sigchld(ctx, start_method, sigchld_received):
    """When a child exits, its parent gets SIGCHLD: the test process under fork and spawn,
    at the child's exit and not before; under forkserver the forkserver, which handles it,
    while the test process gets none and learns of the exit through the sentinel."""
    ours, theirs = ctx.Pipe()
    proc = ctx.Process(target=sigchld.send_parent_then_wait, args=(theirs,))
    proc.start()
    sigchld_received.watched = proc.pid
    theirs.close()
    try:
        assert ours.poll(TIMEOUT)
        parent = ours.recv()
        assert sigchld_received.received == []  # the child lives: nothing yet
        ours.send("exit now")
        assert proctree.wait_for_exit_without_reaping(proc, TIMEOUT)  # the sentinel
        if start_method == "forkserver":
            # The sentinel fires once the forkserver reaped the child, after the
            # kernel notified it: any SIGCHLD to us would have arrived by now.
            assert parent != os.getpid()
            assert catches(parent, signal.SIGCHLD)
            assert sigchld_received.received == []
        else:
            assert parent == os.getpid()
            assert proctree.wait_until(lambda: sigchld_received.received, TIMEOUT)
            # It came when this child had exited: its SIGCHLD, not another child's.
            assert any(sigchld_received.received)
    finally:
        ours.close()
        proc.join(TIMEOUT)
