"""A child's exit code: None while it runs, 0, 1, n, or -N after signal N.

Tutorial, section "multiprocessing.Process 对象": a child that ran normally
leaves exit code 0, one that failed a positive integer. Holds with a caveat:
a child killed by a signal has a negative exit code, -N for signal N.
"""

import signal

import pytest

from mpspec import children, proctree
from mpspec.channel import TIMEOUT

pytestmark = pytest.mark.claim("exit-codes")


def exit_code_of(ctx, target, *args):
    proc = ctx.Process(target=target, args=args)
    proc.start()
    proc.join(TIMEOUT)
    return proc.exitcode


@pytest.mark.parametrize(
    ("target", "args", "expected"),
    [
        (children.do_nothing, (), 0),
        (children.raise_error, (), 1),
        (children.exit_with, (3,), 3),
        (children.exit_with, ("a message",), 1),
    ],
    ids=["return", "uncaught-exception", "sys.exit(3)", "sys.exit(message)"],
)
def test_exit_code_after_the_child_ends_by_itself(ctx, target, args, expected):
    """exitcode is 0 after a normal return, 1 after an uncaught exception, n after
    sys.exit(n) and 1 after sys.exit('a message')."""
    assert exit_code_of(ctx, target, *args) == expected


@pytest.mark.parametrize(
    ("stop", "signum"), [("terminate", signal.SIGTERM), ("kill", signal.SIGKILL)]
)
def test_exit_code_is_none_while_running_and_minus_the_signal_after_one(ctx, stop, signum):
    """exitcode is None while the child runs, and -N once terminate() (SIGTERM) or kill()
    (SIGKILL) ended it."""
    ours, theirs = ctx.Pipe()
    proc = ctx.Process(target=children.wait_for_release, args=(theirs,))
    proc.start()
    theirs.close()
    try:
        assert ours.poll(TIMEOUT)
        assert ours.recv() == "waiting"
        assert proc.exitcode is None
        getattr(proc, stop)()
        proc.join(TIMEOUT)
    finally:
        ours.close()
        proctree.stop(proc, TIMEOUT)
    assert proc.exitcode == -signum
