"""Child targets of spec/test_forkserver_preload.py.

See :mod:`mpspec.runtime.targets` for the rules every target follows.
"""

import os
import sys


def report_preloaded(conn):
    """Send whether the module ``preloaded`` was imported before we ran, and if so whether
    by our parent (None if it was not imported)."""
    preloaded = sys.modules.get("mpspec.runtime.targets.forkserver_preload_module")
    conn.send(None if preloaded is None else os.getppid() == preloaded.IMPORTED_IN)
    conn.close()


def report_imported(name, conn):
    """Send whether module ``name`` was imported before we ran, and if so whether by our
    parent (None if it was not imported). The module must set ``IMPORTED_IN`` to the pid
    of the process that imports it."""
    module = sys.modules.get(name)
    conn.send(None if module is None else os.getppid() == module.IMPORTED_IN)
    conn.close()


def send_ran(conn):
    """Send "ran"."""
    conn.send("ran")
    conn.close()
