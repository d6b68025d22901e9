"""How often SIGINT reaches a waiting child too late to end its wait.

    python benchmarks/late_signals.py [--method forkserver] [--trials 400] [--plain]

The experiment of spec/test_exit_codes.py's interrupt() test, TRIALS times: a
child gives SIGINT Python's handler, says it is waiting, and waits for a
message; the parent sends SIGINT (``os.kill``, so that it runs on Pythons
without ``Process.interrupt()``) and times how long the child takes to end.

By default the child waits as the spec's does
(``exit_codes.wait_for_release``, which also waits on Python's wake-up fd).
With ``--plain`` it waits in ``conn.poll(WAIT)``: a signal that lands after
the interpreter's last check for signals and before poll's system call is
handled only when the poll times out, WAIT later. The script prints how many
children took more than LATE seconds to end, and their exit codes.
"""

import argparse
import multiprocessing
import os
import signal
import sys
import time

from mpspec.runtime.targets import exit_codes

WAIT = 5.0  # the plain child's wait: a late signal costs this much
LATE = 1.0  # a child that takes longer than this to end did not see the signal in time


def plain_wait(conn):
    signal.signal(signal.SIGINT, signal.default_int_handler)
    conn.send("waiting")
    if conn.poll(WAIT):
        conn.recv()
    conn.close()


def trial(ctx, plain):
    ours, theirs = ctx.Pipe()
    if plain:
        proc = ctx.Process(target=plain_wait, args=(theirs,))
    else:
        proc = ctx.Process(
            target=exit_codes.wait_for_release, args=(theirs,), kwargs={"python_sigint": True}
        )
    proc.start()
    theirs.close()
    try:
        if not ours.poll(60) or ours.recv() != "waiting":
            raise RuntimeError("the child did not start")
        sent = time.monotonic()
        os.kill(proc.pid, signal.SIGINT)
        proc.join(60)
        return time.monotonic() - sent, proc.exitcode
    finally:
        ours.close()
        if proc.exitcode is None:
            proc.kill()
            proc.join(60)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--method", default="forkserver")
    parser.add_argument("--trials", type=int, default=400)
    parser.add_argument("--plain", action="store_true", help="wait in conn.poll() alone")
    args = parser.parse_args()
    ctx = multiprocessing.get_context(args.method)
    # The children's tracebacks (KeyboardInterrupt) would bury the result.
    devnull = os.open(os.devnull, os.O_WRONLY)
    saved = os.dup(2)
    os.dup2(devnull, 2)
    try:
        results = [trial(ctx, args.plain) for _ in range(args.trials)]
    finally:
        os.dup2(saved, 2)
    late = [(seconds, code) for seconds, code in results if seconds > LATE]
    codes = sorted({code for _, code in results})
    print(
        f"Python {sys.version.split()[0]}, {args.method}, "
        f"{'conn.poll() alone' if args.plain else 'wait_for_release'}: "
        f"{len(late)} of {args.trials} children ended more than {LATE} s after SIGINT "
        f"({', '.join(f'{s:.1f} s' for s, _ in late) or 'none'}); exit codes {codes}"
    )


if __name__ == "__main__":
    main()
