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
