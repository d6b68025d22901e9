"""Child targets of spec/test_stdin_children.py.

See :mod:`mpspec.runtime.targets` for the rules every target follows.
"""

import os
import select
import sys

from mpspec.runtime.bounds import TIMEOUT


def call_input(conn):
    """Call input() as a program that reads its standard input would; send what it got, or
    the exception's class name, and whether sys.stdin is os.devnull."""
    try:
        got = input()
    except Exception as exc:
        got = type(exc).__name__
    try:
        devnull = os.path.samestat(os.fstat(sys.stdin.fileno()), os.stat(os.devnull))
    except (AttributeError, OSError, ValueError):  # no stdin, or not a file
        devnull = False
    conn.send({"input": got, "stdin_is_devnull": devnull})
    conn.close()


def file_identity(fd):
    """(st_dev, st_ino) of what descriptor ``fd`` is open on here, or None if closed."""
    try:
        st = os.fstat(fd)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def read_descriptor_0(conn):
    """Send what descriptor 0 is open on (``file_identity``), the bytes one os.read() of
    it returns once it is readable (None if it is not within TIMEOUT, or is closed), and
    whether ``sys.stdin`` is os.devnull."""
    data = None
    try:
        if select.select([0], [], [], TIMEOUT)[0]:
            data = os.read(0, 1024)
    except OSError:  # descriptor 0 closed
        pass
    try:
        devnull = os.path.samestat(os.fstat(sys.stdin.fileno()), os.stat(os.devnull))
    except (AttributeError, OSError, ValueError):
        devnull = False
    conn.send({"fd0": file_identity(0), "read": data, "stdin_is_devnull": devnull})
    conn.close()
