"""Child targets of spec/test_stdin_children.py.

See :mod:`mpspec.runtime.targets` for the rules every target follows.
"""

import os
import sys


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
