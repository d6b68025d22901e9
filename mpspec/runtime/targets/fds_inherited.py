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


def send_file_identities(fds, conn):
    """Send, for each descriptor of ``fds``, (st_dev, st_ino) of what it is open on here,
    or None if it is closed."""
    seen = []
    for fd in fds:
        try:
            st = os.fstat(fd)
        except OSError:
            seen.append(None)
        else:
            seen.append((st.st_dev, st.st_ino))
    conn.send(seen)
    conn.close()
