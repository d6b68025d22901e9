"""Child targets of spec/test_process_object.py.

See :mod:`mpspec.runtime.targets` for the rules every target follows.
"""

import os

from mpspec.runtime import impl


def send_call(*args, conn, **kwargs):
    """Send what we were called with, and our pid and parent pid."""
    conn.send({"args": args, "kwargs": kwargs, "pid": os.getpid(), "ppid": os.getppid()})
    conn.close()


def send_names(method, conn):
    """Send our own name and the default names of processes created here."""
    module = impl.load()
    ctx = module.get_context(method)
    conn.send(
        {
            "own": module.current_process().name,
            "plain": module.Process().name,
            "from_context": ctx.Process().name,
        }
    )
    conn.close()
