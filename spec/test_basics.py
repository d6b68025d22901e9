"""Processes form a tree; fork returns twice and copies memory; one CPU is
time-shared.

Tutorial, section "基本知识": every process descends from init (pid 1); fork()
returns the child's pid in the parent and 0 in the child; the new process gets
its own memory; a time-sharing system alternates tasks on one processor.
Verdicts and caveats: spec/claims.toml. The os.fork() experiments run inside a
child of each start method, which is single-threaded, rather than in the test
process.
"""

import os

import pytest

from mpspec.plugin import proctree, workloads
from mpspec.runtime import procfs
from mpspec.runtime.targets import basics

PF_KTHREAD = 0x00200000  # proc(5), the flags field: a kernel thread


def is_kernel_thread(pid):
    return bool(int(procfs.stat(pid)[6]) & PF_KTHREAD)


def in_root_pid_namespace():
    """Whether this process sees the root PID namespace: only there is pid 2 kthreadd, a
    kernel thread (elsewhere kernel threads are hidden, and pid 2, if any, is user space)."""
    try:
        return is_kernel_thread(2)
    except OSError:  # no pid 2 in this namespace
        return False


@pytest.mark.claim("process-tree-root")
def test_following_parents_from_a_child_ends_at_pid_1(call_in_child):
    """Following parent pids up from a child passes through the test process and ends at pid
    1, with no loop. Where the test process's ancestry entered the PID namespace with setns()
    (nsenter, docker exec), the chain ends instead at the process that entered it: user
    space, parent 0, and never in the root PID namespace, where every parent is visible."""
    chain = call_in_child(basics.send_ancestry)
    assert os.getpid() in chain[1:]  # we are among its ancestors
    assert len(set(chain)) == len(chain)
    if chain[-1] == 0:  # the top of the chain has a parent outside this namespace
        entered = chain[-2]
        assert entered != 1
        assert not in_root_pid_namespace(), entered
        assert not is_kernel_thread(entered), entered
    else:
        assert chain[-1] == 1


@pytest.mark.claim("process-tree-root")
def test_only_kernel_threads_lead_elsewhere_than_pid_1(call_in_child):
    """Of all processes on the system, only kernel threads (kthreadd, pid 2, and its
    children) have ancestry that does not end at pid 1, and each of them ends at pid 2.
    Outside the root PID namespace no kernel thread is visible; there a user-space chain
    may end at a process that entered the namespace with setns() (its parent, outside,
    reads 0), and nowhere else than pid 1."""
    roots = call_in_child(basics.send_process_roots)
    root_namespace = any(kernel_thread for _, kernel_thread in roots.values())
    assert root_namespace == in_root_pid_namespace()
    if root_namespace:
        assert roots[2] == (2, True)  # kthreadd: a kernel thread whose parent is 0
    for pid, (root, kernel_thread) in roots.items():
        if kernel_thread:
            assert root == 2, pid  # kthreadd's family, not init's
        elif root != 1:
            # Only a process that entered the namespace: its parent is outside, so the
            # chain ends at it, a user-space process whose own root is itself.
            assert not root_namespace, pid
            assert roots.get(root) == (root, False), pid


@pytest.mark.claim("fork-returns-twice")
def test_fork_returns_the_child_pid_in_the_parent_and_0_in_the_child(call_in_child):
    """Inside a child, os.fork() returns 0 in the new process and the new process's pid in
    the caller."""
    seen = call_in_child(basics.fork_and_report)
    assert seen["in_child"] == 0
    assert seen["in_parent"] == seen["child_pid"]
    assert seen["in_parent"] > 0


@pytest.mark.claim("fork-separate-memory")
def test_writes_after_fork_are_invisible_to_the_other_process(call_in_child):
    """After os.fork(), a write in either process leaves the other's copy of the variable
    unchanged."""
    seen = call_in_child(basics.fork_and_write)
    # The child's copy kept the value from the time of the fork...
    assert seen["child_saw"] == "before fork"
    # ...and its own write did not reach the parent.
    assert seen["parent_sees"] == "written by parent"


@pytest.mark.claim("time-sharing")
@pytest.mark.timing(
    "both spin until each has used 0.15 s of CPU time, and each must get half of that "
    "within the period both spin; the scheduler switches every few milliseconds"
)
def test_two_cpu_bound_processes_on_one_cpu_take_turns_over_the_same_period(ctx):
    """Two spinning children pinned to one CPU both make progress over the same period, yet
    are never on the CPU at the same moment. Both spin until each has used 0.15 s of CPU
    time, however long other work on that CPU makes it take."""
    cpu = proctree.usable_cpus()[0]
    reports = workloads.spin_together(ctx, [cpu, cpu], cpu_seconds=0.15)
    begin = max(r["began"] for r in reports)
    end = min(r["samples"][-1][0] for r in reports)  # the first to finish its spin
    assert begin < end  # they ran over the same period, not one after the other
    for r in reports:
        during = [cpu_time for wall, cpu_time in r["samples"] if begin <= wall <= end]
        # Each got a fair share of the one CPU during that period: most of its spin.
        assert len(during) > 1
        assert during[-1] - during[0] > 0.075
    # Taking turns: never on the CPU at the same moment.
    assert workloads.simultaneous_running(*reports) < 0.01
