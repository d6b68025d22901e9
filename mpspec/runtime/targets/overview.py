"""Child targets of spec/test_overview.py.

See :mod:`mpspec.runtime.targets` for the rules every target follows.
"""

import os
import sys


def import_probe(conn):
    """Import mpspec.runtime.targets.overview_probe here; send our pid and whether it is now
    imported."""
    import mpspec.runtime.targets.overview_probe  # noqa: F401

    conn.send(
        {
            "pid": os.getpid(),
            "probe_imported": "mpspec.runtime.targets.overview_probe" in sys.modules,
        }
    )
    conn.close()
