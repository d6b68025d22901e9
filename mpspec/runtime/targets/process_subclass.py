"""Child targets of spec/test_process_subclass.py.

See :mod:`mpspec.runtime.targets` for the rules every target follows.
"""

import sys
import threading

from mpspec.runtime import impl


class HoldsALockProcess:
    """A Process subclass's body (spec/test_process_subclass.py): an attribute that pickle
    refuses, set in __init__. ``holds_a_lock_process(method)`` makes the subclass of that
    start method's Process class, importable by name as pickle needs."""

    def __init__(self, conn):
        super().__init__()
        self.conn = conn
        self.lock = threading.Lock()

    def run(self):
        with self.lock:
            self.conn.send("ran")
        self.conn.close()


def holds_a_lock_process(method):
    """The HoldsALockProcess subclass of the implementation's Process for ``method``."""
    return getattr(sys.modules[__name__], f"HoldsALockProcess_{method}")


def __getattr__(name):
    # Module attributes made on first use (PEP 562), so that pickle finds the
    # Process subclass of each start method by name, in the parent and the child.
    prefix = "HoldsALockProcess_"
    if name.startswith(prefix):
        method = name[len(prefix) :]
        base = impl.load().get_context(method).Process
        cls = type(name, (HoldsALockProcess, base), {"__module__": __name__})
        globals()[name] = cls
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
