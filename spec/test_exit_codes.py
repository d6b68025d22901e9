"""A child's exit code: None while it runs, then what its ending makes it.

Tutorial, section "multiprocessing.Process 对象": a child that ran normally
leaves exit code 0, one that failed a positive integer. The verdict and the
exceptions (signals, sys.exit() arguments, interrupt()): the catalogue
(spec/claims.toml, claim exit-codes).
"""

import os
import signal
import subprocess
import sys

import pytest

from mpspec.plugin import proctree
from mpspec.runtime import impl
from mpspec.runtime.bounds import TIMEOUT
from mpspec.runtime.targets import common, exit_codes

pytestmark = pytest.mark.claim("exit-codes")


def exit_code_of(ctx, target, *args):
    proc = ctx.Process(target=target, args=args)
    proc.start()
    proc.join(TIMEOUT)
    return proc.exitcode


@pytest.mark.parametrize(
    ("target", "args", "expected"),
    [
        (common.do_nothing, (), 0),
        (exit_codes.raise_error, (), 1),
        (exit_codes.exit_with, (3,), 3),
        (exit_codes.exit_with, ("a message",), 1),
        (exit_codes.exit_with, (256,), 0),
        (exit_codes.exit_with, (-1,), 255),
    ],
    ids=[
        "return",
        "uncaught-exception",
        "sys.exit(3)",
        "sys.exit(message)",
        "sys.exit(256)",
        "sys.exit(-1)",
    ],
)
def test_exit_code_after_the_child_ends_by_itself(ctx, target, args, expected):
    """exitcode is 0 after a normal return, 1 after an uncaught exception, n after
    sys.exit(n) for n in 0-255 (only its low 8 bits otherwise) and 1 after
    sys.exit('a message')."""
    assert exit_code_of(ctx, target, *args) == expected


def exit_code_once_stopped(ctx, stop, **kwargs):
    """Start a child that waits (``exit_codes.wait_for_release(conn, **kwargs)``); check
    that its exitcode is None while it runs; call ``stop(proc)``; return its exitcode once
    it has ended."""
    ours, theirs = ctx.Pipe()
    proc = ctx.Process(target=exit_codes.wait_for_release, args=(theirs,), kwargs=kwargs)
    proc.start()
    theirs.close()
    try:
        assert ours.poll(TIMEOUT)
        assert ours.recv() == "waiting"
        assert proc.exitcode is None
        stop(proc)
        proc.join(TIMEOUT)
    finally:
        ours.close()
        proctree.stop(proc, TIMEOUT)
    return proc.exitcode


@pytest.mark.parametrize(
    ("stop", "signum"), [("terminate", signal.SIGTERM), ("kill", signal.SIGKILL)]
)
def test_exit_code_is_none_while_running_and_minus_the_signal_after_one(ctx, stop, signum):
    """exitcode is None while the child runs, and -N once terminate() (SIGTERM) or kill()
    (SIGKILL) ended it."""
    assert exit_code_once_stopped(ctx, lambda proc: getattr(proc, stop)()) == -signum


def test_interrupt_sends_sigint_and_the_child_exits_with_1_from_3_14(ctx):
    """Process.interrupt() is new in Python 3.14: it sends SIGINT, which the child raises as
    KeyboardInterrupt; uncaught, that ends the child like any exception, with exit code 1,
    not -SIGINT. Before 3.14 there is no interrupt(). The child gives SIGINT Python's
    handler first: started from a process that ignores SIGINT (a background job of a
    non-interactive shell, as in some CI runners), it would ignore SIGINT too, and
    interrupt() would do nothing."""
    if sys.version_info < (3, 14):
        assert not hasattr(ctx.Process, "interrupt")
        return
    assert exit_code_once_stopped(ctx, lambda proc: proc.interrupt(), python_sigint=True) == 1


# A fresh parent interpreter: whether Python installs its SIGINT handler is decided when
# an interpreter starts. It reports its own SIGINT disposition, starts a waiting child,
# reports whether the child ignores SIGINT (its /proc status), sends it SIGINT
# (interrupt() from 3.14, os.kill() before), releases it and reports its exit code.
IGNORED_SIGINT_PROGRAM = """
import os, signal, sys
m = __import__(sys.argv[1])
from mpspec.runtime.bounds import TIMEOUT
from mpspec.runtime.targets import exit_codes

def ignores_sigint(pid):
    with open(f"/proc/{pid}/status") as f:
        mask = next(int(line.split()[1], 16) for line in f if line.startswith("SigIgn:"))
    return bool(mask & (1 << (signal.SIGINT - 1)))

print("parent ignores SIGINT:", signal.getsignal(signal.SIGINT) is signal.SIG_IGN)
ctx = m.get_context(sys.argv[2])
ours, theirs = ctx.Pipe()
proc = ctx.Process(target=exit_codes.wait_for_release, args=(theirs,))
proc.start()
theirs.close()
try:
    assert ours.poll(TIMEOUT) and ours.recv() == "waiting"
    print("child ignores SIGINT:", ignores_sigint(proc.pid))
    if sys.version_info >= (3, 14):
        proc.interrupt()
    else:
        os.kill(proc.pid, signal.SIGINT)
    ours.send("released")
    proc.join(TIMEOUT)
    print("exit code:", proc.exitcode)
finally:
    if proc.exitcode is None:
        proc.kill()
        proc.join(TIMEOUT)
"""


def run_as_background_job(program, *args):
    """Run ``python -c program IMPL ARGS...`` as a background job (``&``) of a
    non-interactive ``sh``, which waits for it; return its output lines. Bounded: on
    timeout the whole session is killed."""
    command = ["sh", "-c", '"$@" & wait "$!"', "sh", sys.executable, "-c", program]
    job = subprocess.Popen(
        [*command, impl.name(), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = job.communicate(timeout=3 * TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(job.pid, signal.SIGKILL)
        job.communicate()
        raise
    assert job.returncode == 0, err
    return out.splitlines()


def test_a_child_started_while_sigint_is_ignored_ignores_interrupt(start_method):
    """A parent started as a background job of a non-interactive shell finds SIGINT ignored
    and leaves it so (Python installs its handler only where SIGINT was not ignored at
    start-up); its child ignores SIGINT too, so interrupt() (3.14+; os.kill() with SIGINT
    before) does nothing: released afterwards, the child exits with 0. PyPy installs its
    handler at start-up even where SIGINT was ignored, so there the SIGINT ends the child
    as KeyboardInterrupt, with 1."""
    ignored = sys.implementation.name != "pypy"
    assert run_as_background_job(IGNORED_SIGINT_PROGRAM, start_method) == [
        f"parent ignores SIGINT: {ignored}",
        f"child ignores SIGINT: {ignored}",
        f"exit code: {0 if ignored else 1}",
    ]
