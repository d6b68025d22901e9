"""What happens to a daemonic child when its parent exits, normally or not.

Tutorial, section "multiprocessing.Process 对象", on daemons: its sample output
shows a daemonic child finishing its work after its parent exited. The verdict
and why: the catalogue (spec/claims.toml, claim daemon-terminated-on-exit).
The tests check a normal exit, os._exit() and death by a signal, under each
start method.
"""

import os
import signal

import pytest

from mpspec.plugin import proctree, runner
from mpspec.runtime.bounds import TIMEOUT
from mpspec.runtime.targets import common, daemon

pytestmark = pytest.mark.claim("daemon-terminated-on-exit")

# Marks on a test override the module mark: the closest claim wins.

# How long the daemon would work if nobody stopped it (the tutorial's child sleeps 2 s).
WORK_SECONDS = "3"


@pytest.mark.timing(
    "the daemon works 3 s unless stopped; the parent's exit handlers terminate it within "
    "milliseconds, so only an exit that took over 3 s would let it finish"
)
def test_daemon_child_is_terminated_when_parent_exits_normally(parent_program):
    """When a parent program returns from its main code, its still-running daemonic child is
    terminated (exit code -SIGTERM) before the parent exits; the child never finishes its
    work."""
    program = parent_program("daemon", "--exit", "normal", "--seconds", WORK_SECONDS)
    daemon = program.expect("child-started")
    # Reported by the parent after its interpreter's exit handlers ran.
    at_exit = program.expect("exitcode-at-exit")
    events = program.finish()

    assert at_exit["child"] == daemon["pid"]
    assert at_exit["exitcode"] == -signal.SIGTERM
    assert not [e for e in events if e["event"] in ("child-finished", "parent-gone")]
    assert proctree.status(daemon["pid"]) is None


@pytest.mark.parametrize("how", ["sigkill", "os-exit", "sigterm"])
@pytest.mark.timing(
    "the daemon works 3 s and watches for its parent's death every 2 ms; the parent dies "
    "right after starting it, so the daemon sees that well within its 3 s"
)
def test_daemon_child_outlives_a_parent_that_skips_its_exit_handlers(
    parent_program, start_method, how
):
    """A parent that ends through os._exit(), SIGKILL or an unhandled SIGTERM runs no exit
    handlers, so its daemonic child survives it, orphaned (under forkserver it stays the
    forkserver's child)."""
    program = parent_program("daemon", "--exit", how, "--seconds", WORK_SECONDS)
    daemon = program.expect("child-started")
    gone = program.expect("parent-gone")

    assert gone["pid"] == daemon["pid"]  # still running after its parent died
    if start_method == "forkserver":
        assert gone["ppid"] == daemon["ppid"]  # still the forkserver's child
    else:
        assert gone["ppid"] == program.proc.pid  # orphaned, adopted by the subreaper
    assert not program.inbox.events("exitcode-at-exit")


@pytest.mark.claim("exit-waits-for-children")
@pytest.mark.timing(
    "the child works 1 s after it reports its start, and the parent reaches its exit right "
    "after that; a parent that did not wait would read exit code None, unless its own exit "
    "took over 1 s"
)
def test_parent_that_exits_without_join_waits_for_a_non_daemonic_child(parent_program):
    """A parent program that never calls join() still waits at exit until its non-daemonic
    child has finished its second of work, exit code 0."""
    program = parent_program("daemon", "--daemonic", "no", "--exit", "normal", "--seconds", "1")
    child = program.expect("child-started")
    at_exit = program.expect("exitcode-at-exit")
    events = [e["event"] for e in program.finish()]

    assert at_exit["child"] == child["pid"]
    assert at_exit["exitcode"] == 0
    # The child reached its end before the parent's exit handlers were done.
    assert events.index("child-finished") < events.index("exitcode-at-exit")


def test_join_waits_for_a_daemonic_child(ctx):
    """join() on a daemonic child returns after the child finished its work, with exit code
    0."""
    release_receiver, release_sender = ctx.Pipe(duplex=False)
    done_receiver, done_sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=common.work_after_release,
        args=(release_receiver, done_sender, 0.2),
        daemon=True,
    )
    proc.start()
    release_sender.send("go")
    proc.join(TIMEOUT)

    assert proc.exitcode == 0
    assert done_receiver.poll(0)  # its last action is already visible
    for conn in (release_receiver, release_sender, done_receiver, done_sender):
        conn.close()


def test_daemon_flag_cannot_be_set_after_start(ctx):
    """Setting daemon on a started process raises AssertionError and leaves the flag
    unchanged."""
    proc = ctx.Process(target=common.do_nothing)
    proc.start()
    try:
        with pytest.raises(AssertionError):
            proc.daemon = True
        assert proc.daemon is False
    finally:
        proc.join(TIMEOUT)


def run_python(flags, program, start_method):
    """Run ``program`` in a fresh ``python FLAGS -c`` with the implementation under test and
    ``start_method``; return what it printed (the checks below are asserts, which -O removes
    from the whole interpreter: spawn and forkserver children get the flag too)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONOPTIMIZE"}
    return runner.run_fresh_interpreter(program, start_method, env=env, flags=flags).split()


SET_AFTER_START = """
import sys
from mpspec.runtime.bounds import TIMEOUT
from mpspec.runtime.targets import common

if __name__ == "__main__":
    proc = __import__(sys.argv[1]).get_context(sys.argv[2]).Process(target=common.do_nothing)
    proc.start()
    try:
        proc.daemon = True
    except AssertionError:
        print("refused", proc.daemon)
    else:
        print("changed", proc.daemon)
    proc.join(TIMEOUT)
"""


@pytest.mark.parametrize("optimize", [False, True], ids=["plain", "python -O"])
def test_python_o_lets_the_daemon_flag_change_after_start(start_method, optimize):
    """The check that the daemon flag is set before start() is an assert: under python -O,
    setting it on a started process is accepted and changes the flag."""
    found = run_python(["-O"] if optimize else [], SET_AFTER_START, start_method)
    assert found == (["changed", "True"] if optimize else ["refused", "False"])


DAEMON_STARTS_A_CHILD = """
import sys
from mpspec.runtime.bounds import TIMEOUT
from mpspec.runtime.targets import daemon

if __name__ == "__main__":
    method = sys.argv[2]
    ctx = __import__(sys.argv[1]).get_context(method)
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=daemon.try_to_start_a_child, args=(method, sender), daemon=True)
    proc.start()
    sender.close()
    print(*(receiver.recv() if receiver.poll(TIMEOUT) else ("nothing",))[:2])
    proc.join(TIMEOUT)
"""


@pytest.mark.parametrize("optimize", [False, True], ids=["plain", "python -O"])
def test_python_o_lets_a_daemonic_process_start_children(start_method, optimize):
    """The check that keeps a daemonic process from starting children is an assert: under
    python -O, a daemonic process starts a child, which runs and exits 0."""
    found = run_python(["-O"] if optimize else [], DAEMON_STARTS_A_CHILD, start_method)
    assert found[:2] == (["started", "0"] if optimize else ["refused", "daemonic"])


def test_daemonic_process_cannot_start_children(ctx, start_method):
    """A daemonic process that tries to start a child of its own is refused with 'daemonic
    processes are not allowed to have children'."""
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=daemon.try_to_start_a_child, args=(start_method, sender), daemon=True)
    proc.start()
    sender.close()
    try:
        assert receiver.poll(TIMEOUT)
        outcome, detail = receiver.recv()
    finally:
        proc.join(TIMEOUT)
        receiver.close()
    assert outcome == "refused"
    assert "daemonic processes are not allowed to have children" in detail
