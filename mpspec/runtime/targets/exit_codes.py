"""Child targets of spec/test_exit_codes.py.

See :mod:`mpspec.runtime.targets` for the rules every target follows.
"""

import sys

from mpspec.runtime.bounds import TIMEOUT


def exit_with(code):
    sys.exit(code)


def raise_error():
    raise RuntimeError("uncaught in the child")


def wait_for_release(conn, python_sigint=False):
    """Say "waiting", then block until something arrives on ``conn`` (bounded).

    ``python_sigint``: first give SIGINT Python's own handler (KeyboardInterrupt), as
    an interpreter started from a terminal has it. A process that starts while SIGINT
    is ignored (a background job of a non-interactive shell, say) keeps it ignored,
    and so do the children it starts, under every start method.

    Then the wait also ends when a signal arrives. The interpreter runs a Python
    handler at its next check for signals (between bytecodes, or when a system call
    is interrupted), not when the signal arrives: one that lands after the last
    check and before the wait's system call has begun interrupts nothing, and would
    be handled only once the wait timed out, TIMEOUT later. Python's wake-up fd
    (``signal.set_wakeup_fd``) gets a byte from the C-level handler the moment the
    signal arrives, so waiting on it as well closes that window."""
    if not python_sigint:
        conn.send("waiting")
        if conn.poll(TIMEOUT):
            conn.recv()
        conn.close()
        return
    import select
    import signal

    from mpspec.runtime.reaper import wakeup_pipe

    signal.signal(signal.SIGINT, signal.default_int_handler)
    wake_r = wakeup_pipe()
    conn.send("waiting")
    if conn.fileno() in select.select([conn.fileno(), wake_r], [], [], TIMEOUT)[0]:
        conn.recv()
    conn.close()
