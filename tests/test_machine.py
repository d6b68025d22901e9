"""Machine facts (mpspec.machine), checked against the kernel."""

import os

from mpspec import machine


def test_pipe_capacity_is_what_a_non_blocking_pipe_takes_before_it_refuses():
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    written = 0
    try:
        while True:
            written += os.write(write_end, b"\0" * 4096)
    except BlockingIOError:
        pass
    finally:
        os.close(read_end)
        os.close(write_end)
    assert machine.pipe_capacity() == written
