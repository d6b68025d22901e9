"""Machine facts (mpspec.runtime.machine), checked against the kernel."""

import os

from mpspec.runtime import machine


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


def test_without_f_getpipe_sz_the_capacity_is_measured_by_filling_a_pipe(monkeypatch):
    """Where the kernel does not answer F_GETPIPE_SZ, the same figure comes from filling a
    non-blocking pipe."""
    expected = machine.pipe_capacity()

    def refuse(fd, cmd, *args):
        raise OSError("F_GETPIPE_SZ not supported")

    machine.pipe_capacity.cache_clear()
    monkeypatch.setattr(machine.fcntl, "fcntl", refuse)
    try:
        assert machine.pipe_capacity() == expected
    finally:
        machine.pipe_capacity.cache_clear()
