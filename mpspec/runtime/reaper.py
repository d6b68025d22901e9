"""A subreaper wrapper: ``python -m mpspec.runtime.reaper --inbox ADDR -- MODULE [ARG...]``.

It marks itself a child subreaper (Linux ``prctl(PR_SET_CHILD_SUBREAPER)``), then
forks: the child becomes ``python -m MODULE ARG...`` (the module runs as
``__main__``, standard input is ``/dev/null``), and the wrapper reaps everything
that ends up as its child: the program itself and every orphan among its
descendants, which the kernel re-parents to the nearest subreaper instead of
pid 1. Each reaped process is reported to the inbox as a "reaped" event with
its wait status.

Forking instead of starting a second interpreter saves one interpreter start
per parent program. The program is still a fresh one: the wrapper never
imports the implementation under test, and a forked single-threaded process
runs the module as ``python -m`` would.

The wrapper sleeps until a child changes state (SIGCHLD, through a wake-up
pipe) or its standard input closes (the test is done). Then, or when its own
deadline passes, it kills whatever is left below it, reaps it and exits. So a
test that uses it can never leave an orphan behind, and never waits on pid 1's
lazy reaping.
"""

import contextlib
import os
import runpy
import select
import signal
import sys
import time

from mpspec.runtime import channel, procfs
from mpspec.runtime.bounds import KILL_BOUND, PROGRAM_GRACE, PROGRAM_LIFETIME

PR_SET_CHILD_SUBREAPER = 36


def make_subreaper():
    import ctypes  # here, not at the top, as argparse below: only the wrapper uses them

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")


def decode(wait_status):
    if os.WIFSIGNALED(wait_status):
        return {"signal": os.WTERMSIG(wait_status), "exitcode": None}
    return {"signal": None, "exitcode": os.WEXITSTATUS(wait_status)}


def reap_ready(inbox, program_pid, reaped=None):
    """Reap every child that has exited; report each (and add its pid to ``reaped``).

    Return False once no child is left.
    """
    while True:
        try:
            pid, wait_status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return False
        if pid == 0:
            return True
        if reaped is not None:
            reaped.add(pid)
        channel.send(inbox, "reaped", child=pid, program=pid == program_pid, **decode(wait_status))


def kill_children():
    for pid in procfs.descendant_pids():
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def wakeup_pipe():
    """Make a pipe Python's wake-up fd (``signal.set_wakeup_fd``); return its read end.

    The C-level signal handler writes a byte to it the moment a signal that has a
    Python handler arrives, before any Python code runs: ``select`` on the read end
    sees the signal even when it lands just before the ``select`` call. Both ends are
    non-blocking (``set_wakeup_fd`` requires it of the write end; reading the read end
    empty then raises BlockingIOError instead of hanging) and, as ``os.pipe()`` makes
    them, close-on-exec. Call it from the main thread; the pipe replaces any wake-up fd
    set before and stays open for the life of the process.
    """
    read_end, write_end = os.pipe()
    os.set_blocking(read_end, False)
    os.set_blocking(write_end, False)
    signal.set_wakeup_fd(write_end)
    return read_end


class ChildSignals:
    """A pipe that becomes readable when SIGCHLD arrives, for ``select``."""

    def __init__(self):
        self.fd = wakeup_pipe()
        signal.signal(signal.SIGCHLD, lambda signum, frame: None)

    def drain(self):
        with contextlib.suppress(BlockingIOError):
            while os.read(self.fd, 512):
                pass


def run_program(module, args):
    """In the forked child: run ``module`` as ``__main__``, like ``python -m module args``."""
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


def supervise(inbox, program_pid):
    """Reap until no child is left, standard input closes or PROGRAM_LIFETIME passes; then clean up.

    When standard input closes, the program itself may still be on its way out
    (running its exit handlers, or coverage.py saving its data): it gets up to
    PROGRAM_GRACE seconds to end by itself. Whatever is left then is killed.
    """
    wake = ChildSignals()
    deadline = time.monotonic() + PROGRAM_LIFETIME
    reaped = set()
    stdin_open = True
    # A child that ended before the handler was installed is reaped by this first call.
    while reap_ready(inbox, program_pid, reaped) and stdin_open:
        if not wait_for(wake, [sys.stdin], deadline):
            break
        if select.select([sys.stdin], [], [], 0)[0]:
            stdin_open = bool(os.read(sys.stdin.fileno(), 4096))
    grace = min(deadline, time.monotonic() + PROGRAM_GRACE)
    while program_pid not in reaped and reap_ready(inbox, program_pid, reaped):
        if not wait_for(wake, [], grace):
            break
    give_up = time.monotonic() + KILL_BOUND
    while time.monotonic() < give_up:
        kill_children()
        if not reap_ready(inbox, program_pid, reaped):
            break
        wait_for(wake, [], min(give_up, time.monotonic() + 0.1))
    channel.send(inbox, "reaper-done")


def wait_for(wake, files, deadline):
    """Sleep until SIGCHLD, one of ``files`` is readable, or ``deadline``; False at the deadline."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        return False
    ready = select.select([wake.fd, *files], [], [], remaining)[0]
    wake.drain()
    return bool(ready)


def main(argv=None):
    import argparse

    parser = argparse.ArgumentParser(prog="python -m mpspec.runtime.reaper")
    parser.add_argument("--inbox", required=True)
    parser.add_argument("program", nargs=argparse.REMAINDER, help="-- MODULE [ARG...]")
    args = parser.parse_args(argv)
    program = args.program[1:] if args.program[:1] == ["--"] else args.program
    if not program:
        parser.error("no program module given")

    make_subreaper()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        # No try/finally around this: the program's SystemExit, or its normal
        # end, must end this process the way it ends ``python -m``.
        run_program(program[0], program[1:])
        return
    channel.send(args.inbox, "reaper-ready", program_pid=pid)
    supervise(args.inbox, pid)


if __name__ == "__main__":
    main()
