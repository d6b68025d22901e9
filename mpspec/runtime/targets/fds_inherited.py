"""Child targets of spec/test_fds_inherited.py.

See :mod:`mpspec.runtime.targets` for the rules every target follows.
"""

import os


def send_file_identity(fd, conn):
    """Send (st_dev, st_ino) of what descriptor ``fd`` is open on here, or None if closed."""
    try:
        st = os.fstat(fd)
    except OSError:
        conn.send(None)
    else:
        conn.send((st.st_dev, st.st_ino))
    conn.close()
