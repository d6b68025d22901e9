"""Facts about this machine that tests depend on: measured, never assumed.

Runtime module: stdlib only, cheap to import.
"""

import fcntl
import functools
import os

F_GETPIPE_SZ = getattr(fcntl, "F_GETPIPE_SZ", 1032)  # Linux; fcntl names it from Python 3.10


@functools.cache
def pipe_capacity():
    """How many bytes a new pipe holds before a write blocks.

    Linux's default is 16 pages: 64 KiB with 4 KiB pages, 1 MiB with 64 KiB
    pages. Asked of the kernel where it answers, else measured by filling a
    non-blocking pipe.
    """
    read_end, write_end = os.pipe()
    try:
        try:
            return fcntl.fcntl(write_end, F_GETPIPE_SZ)
        except OSError:
            pass
        os.set_blocking(write_end, False)
        total, chunk = 0, b"\0" * 4096
        while True:
            try:
                total += os.write(write_end, chunk)
            except BlockingIOError:
                return total
    finally:
        os.close(read_end)
        os.close(write_end)
