"""Child targets of spec/test_shared_state.py.

See :mod:`mpspec.runtime.targets` for the rules every target follows.
"""

import os
import sys
import time

from mpspec.runtime.bounds import REFUSAL, TIMEOUT


def print_lines(conn, number, lines, lock, how, start, printed, go, hold=None, enter=None):
    """The tutorial's printing child: once ``start`` is set, print ``lines`` lines of four
    pieces, each print under ``lock``, to a standard output that is ``conn``'s pipe; set
    ``printed``; exit once ``go`` is set (which flushes what its buffer still holds).

    ``how`` is what a fresh interpreter makes of that stdout: "buffered" (a pipe
    or a file: the default), "buffered, flushed" (the same, with print(...,
    flush=True)) or "unbuffered" (PYTHONUNBUFFERED, or python -u in the process
    run with it and its fork children: each piece is written at once).

    ``hold`` and ``enter``, a pair of Events ``(midline, entered)`` given to one child
    each, make the two children's first prints meet: the holder writes the first piece
    of its first line under the lock, sets ``midline`` and waits (at most REFUSAL) for
    ``entered``; the other waits for ``midline``, then prints its first line under the
    lock and sets ``entered``. With a lock that excludes, the other cannot print until
    the holder is done; with one that does not, its line lands inside the holder's.
    """
    import io

    os.dup2(conn.fileno(), 1)
    raw = io.FileIO(1, "w", closefd=False)
    if how == "unbuffered":
        sys.stdout = io.TextIOWrapper(raw, write_through=True)
    else:
        sys.stdout = io.TextIOWrapper(io.BufferedWriter(raw))
    flush = how == "buffered, flushed"
    start.wait(TIMEOUT)
    if enter is not None:
        enter[0].wait(TIMEOUT)
    for n in range(lines):
        with lock:
            if n == 0 and hold is not None:
                sys.stdout.write(f"<{number} ")
                hold[0].set()
                hold[1].wait(REFUSAL)
                print("a", "b", f"{number}>", flush=flush)
            else:
                print(f"<{number}", "a", "b", f"{number}>", flush=flush)
        if n == 0 and enter is not None:
            enter[1].set()
    printed.set()
    go.wait(TIMEOUT)


def stdout_mode():
    """How this process's ``sys.stdout`` writes: "written through" (each write goes to the
    file at once: python -u, PYTHONUNBUFFERED), "line-buffered" (a terminal) or
    "block-buffered" (kept in a buffer until it fills, a flush or exit)."""
    import io

    out = sys.stdout
    if out.write_through and not isinstance(out.buffer, io.BufferedWriter):
        return "written through"
    return "line-buffered" if out.line_buffering else "block-buffered"


def report_stdout_mode(conn):
    """Send :func:`stdout_mode` of this process's own, untouched ``sys.stdout``."""
    conn.send(stdout_mode())
    conn.close()


def write_line_in_pieces(path, number, lock, barrier):
    """Write one line in two writes. With ``lock``: hold it around both writes.

    Without a lock, everyone waits at ``barrier`` between the two writes, so all
    first pieces land before any second piece. With a lock, the barrier only
    lines everyone up before the lock, and the pause between the pieces stands
    for a slow write.
    """
    fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    try:
        if lock is None:
            os.write(fd, f"<{number}".encode())
            barrier.wait(TIMEOUT)
            os.write(fd, f" {number}>\n".encode())
        else:
            barrier.wait(TIMEOUT)
            with lock:
                os.write(fd, f"<{number}".encode())
                time.sleep(0.005)  # a slow write: gives others the chance to interleave
                os.write(fd, f" {number}>\n".encode())
    finally:
        os.close(fd)


def increment_with_lock(shared, key, lock, times, barrier):
    """Increment ``shared[key]`` ``times`` times, each under ``lock``, after ``barrier``.

    Each update is slow on purpose: were the lock to let two processes in at
    once, their updates would interleave and some would be lost.
    """
    barrier.wait(TIMEOUT)
    for _ in range(times):
        with lock:
            value = shared[key]
            time.sleep(0.0005)  # a slow update
            shared[key] = value + 1


class ValueItem:
    """Index a Value like a mapping, so one increment helper serves both."""

    def __init__(self, value):
        self.value = value

    def __getitem__(self, key):
        return self.value.value

    def __setitem__(self, key, new):
        self.value.value = new


class MeetAfterRead:
    """A view of a shared Value (``.value``) or mapping (``[key]``) that passes every read
    and write through to it, and waits at ``barrier`` after each read: two processes that
    each run one ``+=`` through it both read before either writes, whatever ``+=`` does
    between its read and its write."""

    def __init__(self, shared, barrier):
        self.__dict__.update(shared=shared, barrier=barrier)

    def _met(self, read):
        self.barrier.wait(TIMEOUT)
        return read

    @property
    def value(self):
        return self._met(self.shared.value)

    @value.setter
    def value(self, new):
        self.shared.value = new

    def __getitem__(self, key):
        return self._met(self.shared[key])

    def __setitem__(self, key, new):
        self.shared[key] = new


def plus_equals_meeting_after_the_read(counter, key, barrier):
    """The tutorial's ``counter.value += 1`` (``key`` None) or ``counter[key] += 1``, once,
    through :class:`MeetAfterRead`."""
    view = MeetAfterRead(counter, barrier)
    if key is None:
        view.value += 1
    else:
        view[key] += 1


def increment_value_with_lock(value, times, barrier):
    increment_with_lock(ValueItem(value), None, value.get_lock(), times, barrier)


# plus_equals_until_stopped's shared tally: each process's increments, and the stop flag.
TALLY_STOP = 2


def plus_equals_until_stopped(counter, key, tally, index, barrier):
    """The tutorial's unlocked increment, as written: ``counter.value += 1`` (``key`` None) or
    ``counter[key] += 1``, over and over after ``barrier`` until ``tally[TALLY_STOP]`` is
    set, at most TIMEOUT. ``tally[index]`` counts this process's increments: it is written
    after each one, so it never counts one the counter has not had."""
    barrier.wait(TIMEOUT)
    done, deadline = 0, time.monotonic() + TIMEOUT
    while not tally[TALLY_STOP] and time.monotonic() < deadline:
        if key is None:
            counter.value += 1
        else:
            counter[key] += 1
        done += 1
        tally[index] = done


def fill_shared(number, array):
    """The tutorial's shared-memory example: set a double, negate an int array."""
    number.value = 3.25
    for i in range(len(array)):
        array[i] = -i


def fill_proxies(d, lst):
    """The tutorial's manager example: mixed-type keys in a dict, negated list items."""
    d["1"] = 2
    d[2] = "str"
    d[3.0] = None
    d["nested"] = {"any": ["picklable", b"value", (1, 2)]}
    for i in range(len(lst)):
        lst[i] = -i


def append_to_nested(lst):
    """Change a list stored inside a proxied list, in place."""
    lst[0].append("appended in child")
