"""Child targets of spec/test_daemon.py.

See :mod:`mpspec.runtime.targets` for the rules every target follows.
"""

from mpspec.runtime import impl
from mpspec.runtime.bounds import TIMEOUT
from mpspec.runtime.targets.common import do_nothing


def try_to_start_a_child(method, conn):
    """Try to start a grandchild; send ("started", exitcode) or ("refused", error text)."""
    ctx = impl.context(method)
    grandchild = ctx.Process(target=do_nothing)
    try:
        grandchild.start()
    except AssertionError as exc:
        conn.send(("refused", str(exc)))
    else:
        grandchild.join(TIMEOUT)
        conn.send(("started", grandchild.exitcode))
    conn.close()
