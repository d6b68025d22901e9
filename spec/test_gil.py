"""CPU-bound threads share one core; processes use several; blocking threads overlap.

Tutorial, section "什么是 Python 全局锁（GIL）问题": the GIL lets one thread run
Python code at a time, so CPU-bound threads gain nothing from more cores while
processes do; threads suit I/O-bound work, and thousands of them are fine; the
number of processes that run at once is bounded by the cores.

Timing is measured as CPU time against wall time, never as speed-ups, so a
busy machine makes the GIL assertions easier to meet, not harder. The workloads
run in a child of each start method.
"""

import os
import sys

import pytest

from mpspec.plugin import proctree, runner, workloads
from mpspec.runtime.targets import gil

THREADS = 4
SECONDS = 0.2  # CPU-bound spin per thread: long enough for CPU time to be measured
# Each of two processes spins for this much CPU time. Bounded in CPU time, not in wall
# time, so that a busy machine stretches the spins instead of cutting them short.
PARALLEL_CPU_SECONDS = 0.3


def usable_cpus():
    return len(proctree.usable_cpus())


@pytest.mark.claim("gil-threads-one-core")
@pytest.mark.timing(
    "CPU time over wall time below 1.2 cores with the GIL (one core gives 1.0); above 1.3"
    " without it"
)
def test_cpu_bound_threads_of_one_process_use_at_most_about_one_core(call_in_child):
    """Four CPU-bound threads in one child use at most about one core of CPU time per second
    of wall time (more only with the GIL disabled)."""
    seen = call_in_child(gil.spin_in_threads, THREADS, SECONDS)
    cores_used = seen["cpu"] / seen["wall"]
    if seen["gil_enabled"]:
        assert cores_used < 1.2
    else:
        # Free-threaded build with the GIL disabled: the threads run in parallel.
        if usable_cpus() < 2:
            pytest.skip("n/a: a free-threaded build needs 2 usable CPUs to show parallel threads")
        assert cores_used > 1.3


@pytest.mark.claim("processes-use-cores")
@pytest.mark.timing(
    "more than 0.01 s on two CPUs at once while two children spin until each has used 0.3 s "
    "of CPU time; two idle CPUs give close to 0.3 s, one CPU never more than 0"
)
def test_cpu_bound_processes_use_several_cores_at_once(ctx, observe):
    """Two spinning children pinned to two CPUs are on a CPU at the same moments, which one
    core cannot do. Both spin until each has used 0.3 s of CPU time, however long that
    takes: other work on a busy machine's CPUs lengthens the spins rather than cutting short
    the time they overlap, and a child the scheduler runs first keeps spinning until the
    other has had its share."""
    if usable_cpus() < 2:
        pytest.skip(f"n/a: needs 2 usable CPUs, this process may use {usable_cpus()}")
    first, second = proctree.usable_cpus()[:2]
    reports = workloads.spin_together(ctx, [first, second], cpu_seconds=PARALLEL_CPU_SECONDS)
    overlap = workloads.simultaneous_running(*reports)
    wall = max(r["samples"][-1][0] for r in reports) - min(r["began"] for r in reports)
    observe("on two CPUs at once", measured=f"{overlap:.2f} s at once, in {wall:.2f} s")
    assert overlap > 0.01


@pytest.mark.claim("pool-defaults-to-cores")
def test_pool_without_a_size_starts_a_worker_per_cpu_of_the_version_s_count(
    call_in_child, start_method
):
    """A child restricted to one CPU makes Pool() without a size: it gets os.cpu_count()
    workers before Python 3.13, one worker from 3.13. On a machine with one CPU both give
    one, so there the test cannot tell them apart."""
    if (os.cpu_count() or 1) < 2:
        pytest.skip("n/a: with one CPU, os.cpu_count() and os.process_cpu_count() agree")
    seen = call_in_child(gil.default_pool_size, start_method)
    assert seen["usable_cpus"] == 1
    if sys.version_info >= (3, 13):
        assert seen["workers"] == 1  # os.process_cpu_count() respects affinity
    else:
        assert seen["workers"] == seen["cpu_count"]  # os.cpu_count() ignores it


# A fresh interpreter: PYTHON_CPU_COUNT and -X cpu_count are read when the interpreter
# starts.
POOL_SIZE_PROGRAM = """
import os, sys
module = __import__(sys.argv[1])
before = {p.pid for p in module.active_children()}
pool = module.get_context(sys.argv[2]).Pool()
try:
    print(len([p for p in module.active_children() if p.pid not in before]))
finally:
    pool.terminate()
    pool.join()
"""


@pytest.mark.claim("pool-defaults-to-cores")
@pytest.mark.parametrize("how", ["PYTHON_CPU_COUNT", "-X cpu_count"])
def test_python_cpu_count_sets_the_default_pool_size_from_3_13(start_method, how):
    """Given a CPU count two above the real one (so that neither the CPUs nor one more
    match it) in PYTHON_CPU_COUNT or with -X cpu_count, a fresh interpreter's Pool() starts
    that many workers from CPython 3.13, whatever the CPUs; before, both mean nothing."""
    count = os.cpu_count() + 2
    env = {k: v for k, v in os.environ.items() if k != "PYTHON_CPU_COUNT"}
    options = []
    if how == "PYTHON_CPU_COUNT":
        env["PYTHON_CPU_COUNT"] = str(count)
    else:
        options = ["-X", f"cpu_count={count}"]
    found = runner.run_fresh_interpreter(POOL_SIZE_PROGRAM, start_method, env=env, flags=options)
    if sys.implementation.name == "cpython" and sys.version_info >= (3, 13):
        assert int(found) == count
    else:
        assert int(found) == os.cpu_count()


@pytest.mark.claim("io-threads-overlap")
@pytest.mark.parametrize("how", ["sleep", "select"])
def test_threads_blocked_at_the_same_time_finish_together(call_in_child, how):
    """Threads that block in sleep() or select() at the same time are all in the call at
    one moment: the child's main thread sees every one of them waiting in the kernel's
    sleep or select at once (/proc/self/task/<tid>/wchan), then releases them. Under a GIL
    that a blocking call kept, one thread at a time would be in the call."""
    seen = call_in_child(gil.block_in_threads, THREADS, how)
    assert seen["threads"] == THREADS
    assert seen["blocked_at_once"], f"wait channels seen last: {seen['wait_channels']}"


@pytest.mark.claim("thousands-of-threads")
def test_one_process_runs_two_thousand_threads_at_once(call_in_child):
    """One child starts two thousand threads that are all alive at the same moment."""
    seen = call_in_child(gil.run_many_threads, 2000)
    assert seen["started"] == 2000
    assert seen["alive_at_once"] >= 2001
