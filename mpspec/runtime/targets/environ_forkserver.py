"""Child targets of spec/test_environ_forkserver.py.

See :mod:`mpspec.runtime.targets` for the rules every target follows.
"""

import os
import sys


def send_surroundings(name, conn):
    """Send the environment variable ``name`` (or None), the working folder and sys.path."""
    conn.send({"environ": os.environ.get(name), "cwd": os.getcwd(), "sys_path": list(sys.path)})
    conn.close()
