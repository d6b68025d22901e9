"""A process whose parent exits first: who adopts it, and who reaps it.

Tutorial, section "multiprocessing.Process 对象", on orphans: the orphan is
handed to init (pid 1), which then waits for it. The verdict and its caveats
(child subreapers, the forkserver): spec/claims.toml, claim orphan-adoption.
Reaping is checked with a subreaper of the test's own.

The parent is a parent program that leaves with os._exit() while its child runs
(a normal exit would join the child first).
"""

import os

import pytest

from mpspec.plugin import proctree
from mpspec.runtime.bounds import TIMEOUT

pytestmark = pytest.mark.claim("orphan-adoption")


def orphan_and_adopter(parent_gone, start_method):
    """Which process was orphaned, and which adopted it, from the child's report."""
    if start_method == "forkserver":
        return parent_gone["ppid"], parent_gone["grandparent"]
    return parent_gone["pid"], parent_gone["ppid"]


def test_orphan_is_adopted_by_pid_1_or_by_a_subreaper_ancestor(parent_program, start_method):
    """When a parent program exits before its child, the child is re-parented to pid 1 or to
    the nearest subreaper ancestor (under forkserver, the forkserver is the one orphaned)."""
    program = parent_program("orphan", subreaper=False)
    orphan, adopter = orphan_and_adopter(program.expect("parent-gone"), start_method)

    # Nothing but pid 1 or an ancestor of ours (a subreaper) can have adopted it.
    assert adopter in {1, *proctree.ancestors(os.getpid())}
    # It exits after reporting, and then waits for its adopter to reap it. How
    # soon pid 1 does that is up to pid 1 (1.7 s on this idle machine, far longer
    # when it is busy), so reaping is verified with a subreaper, below.
    assert proctree.wait_until(lambda: proctree.status(orphan) in (None, "zombie"), timeout=TIMEOUT)


def test_orphan_is_adopted_and_reaped_by_its_nearest_subreaper_ancestor(
    parent_program, start_method
):
    """Under a subreaper, an orphan is re-parented to the subreaper, which reaps it when it
    exits: no zombie remains."""
    program = parent_program("orphan", subreaper=True)
    orphan, adopter = orphan_and_adopter(program.expect("parent-gone"), start_method)

    assert adopter == program.proc.pid
    reaped = program.expect("reaped", child=orphan)
    assert reaped["pid"] == program.proc.pid
    assert (reaped["exitcode"], reaped["signal"]) == (0, None)


def test_orphan_skips_a_living_ancestor_that_is_not_a_subreaper(parent_program, start_method):
    """An orphan whose grandparent is alive but is not a subreaper is not adopted by it:
    the kernel hands it to the nearest ancestor that is one, here the test's wrapper."""
    program = parent_program("orphan-below-a-bystander", subreaper=True)
    orphan, adopter = orphan_and_adopter(program.expect("parent-gone"), start_method)
    # Reported once the orphan's parent had exited and been reaped: it was alive then.
    bystander = program.expect("bystander-waited")

    assert bystander["pid"] == program.program_pid
    assert orphan != bystander["orphaned_by"]
    assert adopter == program.proc.pid


def test_forkserver_child_keeps_its_parent_when_the_starting_process_exits(
    parent_program, start_method
):
    """Under forkserver, a child's parent is the forkserver and stays so when the process
    that called start() exits: that process's exit orphans nobody."""
    program = parent_program("orphan", subreaper=True)
    started = program.expect("child-started")
    gone = program.expect("parent-gone")
    starter = program.expect("parent-exiting")["pid"]

    if start_method == "forkserver":
        assert started["ppid"] != starter  # the forkserver forked it
        assert gone["ppid"] == started["ppid"]  # and is still its parent
    else:
        assert started["ppid"] == starter
        assert gone["ppid"] != started["ppid"]
