"""A subreaper wrapper: ``python -m mpspec.reaper --inbox ADDR -- COMMAND...``.

It marks itself a child subreaper (Linux ``prctl(PR_SET_CHILD_SUBREAPER)``), runs
COMMAND as its child and reaps everything that ends up as its child: the
command itself and every orphan among the command's descendants, which the
kernel re-parents to the nearest subreaper instead of pid 1. Each reaped
process is reported to the inbox as a "reaped" event with its wait status.

When its standard input closes (the test is done) or its own deadline passes,
it kills whatever is left below it, reaps it and exits. So a test that uses it
can never leave an orphan behind, and never waits on pid 1's lazy reaping.
"""

import argparse
import contextlib
import ctypes
import os
import select
import signal
import subprocess
import sys
import time

from mpspec import channel

PR_SET_CHILD_SUBREAPER = 36
LIFETIME = 120.0


def make_subreaper():
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")


def decode(wait_status):
    if os.WIFSIGNALED(wait_status):
        return {"signal": os.WTERMSIG(wait_status), "exitcode": None}
    return {"signal": None, "exitcode": os.WEXITSTATUS(wait_status)}


def reap_ready(inbox, command_pid):
    """Reap every child that has exited; report each. Return False once no child is left."""
    while True:
        try:
            pid, wait_status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return False
        if pid == 0:
            return True
        channel.send(inbox, "reaped", child=pid, command=pid == command_pid, **decode(wait_status))


def kill_children():
    import psutil

    for proc in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.send_signal(signal.SIGKILL)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m mpspec.reaper")
    parser.add_argument("--inbox", required=True)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command

    make_subreaper()
    child = subprocess.Popen(command, stdin=subprocess.DEVNULL)
    channel.send(args.inbox, "reaper-ready", command_pid=child.pid)
    deadline = time.monotonic() + LIFETIME
    stdin_open = True
    while time.monotonic() < deadline:
        # Wake up every few milliseconds to reap; leave as soon as stdin closes.
        if stdin_open and select.select([sys.stdin], [], [], 0.003)[0]:
            stdin_open = bool(os.read(sys.stdin.fileno(), 4096))
        if not reap_ready(args.inbox, child.pid) or not stdin_open:
            break
    kill_children()
    give_up = time.monotonic() + 10.0
    while reap_ready(args.inbox, child.pid) and time.monotonic() < give_up:
        time.sleep(0.002)
    child.returncode = 0  # reaped above; keep Popen.__del__ quiet
    channel.send(args.inbox, "reaper-done")


if __name__ == "__main__":
    main()
