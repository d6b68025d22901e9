"""Parent programs, for claims about a parent that exits.

    python -m mpspec.runtime.scenarios NAME --impl MODULE --method M --inbox ADDR

Some claims are about what happens when a parent exits (orphans, daemons), so
the parent cannot be the test process. These small programs play the parent.
They import the implementation by the name they are given, use an explicit
context for the start method, and report what they see to the test's inbox.
"""

import atexit
import os
import signal
import sys

from mpspec.runtime import channel
from mpspec.runtime.bounds import TIMEOUT

SCENARIOS = {}

# Drawn each time this module's top level runs: in the parent program, and in
# every process that imports the program's __main__ afresh. Run as a script
# (``python .../scenarios.py``), the program's __main__ is this file.
TOKEN = os.urandom(8).hex()


def scenario(func):
    SCENARIOS[func.__name__.replace("_", "-")] = func
    return func


def _start(ctx, target, *args, daemon=None):
    """Start ``target(*args, conn)`` and wait (bounded) until it says it started."""
    parent_end, child_end = ctx.Pipe()
    proc = ctx.Process(target=target, args=(*args, child_end), daemon=daemon)
    proc.start()
    child_end.close()
    if not parent_end.poll(TIMEOUT):
        raise SystemExit(f"{target.__name__} did not start within {TIMEOUT}s")
    parent_end.recv()
    return proc


def _exit(how):
    """Leave the way the test asked: a normal interpreter exit, os._exit, SIGKILL or SIGTERM."""
    sys.stdout.flush()
    if how == "os-exit":
        os._exit(0)
    if how in ("sigkill", "sigterm"):
        # SIGTERM's default action ends the process as SIGKILL does: Python
        # installs no handler for it, so no exit handler runs either.
        os.kill(os.getpid(), getattr(signal, how.upper()))
    # "normal": return and let the interpreter run its exit handlers.


@scenario
def orphan(args, impl_module):
    """Start a non-daemonic child, then leave with ``os._exit`` without joining it."""
    from mpspec.runtime.targets import common

    ctx = impl_module.get_context(args.method)
    child = _start(ctx, common.outlive_parent, args.inbox, os.getpid(), TIMEOUT)
    channel.send(args.inbox, "parent-exiting", child=child.pid)
    _exit("os-exit")


@scenario
def orphan_below_a_bystander(args, impl_module):
    """Fork a process that plays ``orphan``, and wait (bounded) until it has exited and is
    reaped: its orphan is handed on while this process, an ancestor that is not a
    subreaper, is alive. Then report "bystander-waited" and exit."""
    import time

    pid = os.fork()
    if pid == 0:
        orphan(args, impl_module)  # leaves with os._exit
        os._exit(1)
    deadline = time.monotonic() + TIMEOUT
    while os.waitpid(pid, os.WNOHANG) == (0, 0) and time.monotonic() < deadline:
        time.sleep(0.002)  # polling, bounded by the deadline
    channel.send(args.inbox, "bystander-waited", pid=os.getpid(), orphaned_by=pid)


@scenario
def daemon(args, impl_module):
    """Start a child (daemonic unless ``--daemonic no``) that works for ``--seconds``,
    then exit as ``--exit`` says."""
    from mpspec.runtime.targets import common

    ctx = impl_module.get_context(args.method)
    daemonic = args.daemonic == "yes"
    child = _start(
        ctx, common.outlive_parent, args.inbox, os.getpid(), args.seconds, daemon=daemonic
    )
    _report_at_exit.append(child)
    channel.send(args.inbox, "parent-exiting", child=child.pid, how=args.exit)
    _exit(args.exit)


@scenario
def terminate_middle(args, impl_module):
    """Start a child that starts a grandchild; terminate the child; report."""
    from mpspec.runtime.targets import terminate

    ctx = impl_module.get_context(args.method)
    receiver, sender = ctx.Pipe(duplex=False)
    middle = ctx.Process(
        target=terminate.start_grandchild_then_wait,
        args=(args.inbox, args.method, TIMEOUT, sender),
    )
    middle.start()
    sender.close()
    if not receiver.poll(TIMEOUT):
        raise SystemExit("the middle process did not report its child")
    grandchild = receiver.recv()
    middle.terminate()
    middle.join(TIMEOUT)
    channel.send(
        args.inbox, "terminated", middle=middle.pid, exitcode=middle.exitcode, grandchild=grandchild
    )


def report_main_token(inbox):
    """Report this process's pid, parent and the token of its ``__main__`` module."""
    main_module = sys.modules["__main__"]
    channel.send(inbox, "main-token", pid=os.getpid(), ppid=os.getppid(), token=main_module.TOKEN)


@scenario
def main_token(args, impl_module):
    """Report the parent's ``__main__`` token, then start three children one after another,
    each of which reports the token of its own ``__main__``. Run it as a script."""
    ctx = impl_module.get_context(args.method)
    channel.send(args.inbox, "main-token", pid=os.getpid(), ppid=os.getppid(), token=TOKEN)
    # By its __main__ name: a child that re-imports the program finds it there.
    target = getattr(sys.modules["__main__"], "report_main_token", report_main_token)
    for _ in range(3):
        child = ctx.Process(target=target, args=(args.inbox,))
        child.start()
        child.join(TIMEOUT)


# Processes whose exit code is reported after every other exit handler has run.
_report_at_exit = []


def main(argv=None):
    import argparse  # here, not at the top: only a parent program's main uses it

    parser = argparse.ArgumentParser(prog="python -m mpspec.runtime.scenarios")
    parser.add_argument("name", choices=sorted(SCENARIOS))
    parser.add_argument("--impl", required=True)
    parser.add_argument("--method", required=True)
    parser.add_argument("--inbox", required=True)
    parser.add_argument(
        "--exit", choices=["normal", "os-exit", "sigkill", "sigterm"], default="normal"
    )
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--daemonic", choices=["yes", "no"], default="yes")
    args = parser.parse_args(argv)

    # atexit runs handlers last-registered-first. Registering before the
    # implementation is imported makes this run after the implementation's own
    # exit handler, so it sees what that handler did to our children.
    already_imported = args.impl in sys.modules
    atexit.register(_report_children_at_exit, args.inbox)
    from mpspec.runtime import impl

    impl_module = impl.load(args.impl)
    channel.send(args.inbox, "parent-started", impl_imported_early=already_imported)
    SCENARIOS[args.name](args, impl_module)


def _report_children_at_exit(inbox):
    for proc in _report_at_exit:
        channel.send(inbox, "exitcode-at-exit", child=proc.pid, exitcode=proc.exitcode)


if __name__ == "__main__":
    main()
