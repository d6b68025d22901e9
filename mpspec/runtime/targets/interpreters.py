"""Child targets for claims about separate interpreters.

See :mod:`mpspec.runtime.targets` for the rules every target follows.
"""

import os
import sys


def import_probe(conn):
    """Import mpspec.runtime.targets.probe here; send our pid and whether it is now imported."""
    import mpspec.runtime.targets.probe  # noqa: F401

    conn.send({"pid": os.getpid(), "probe_imported": "mpspec.runtime.targets.probe" in sys.modules})
    conn.close()
