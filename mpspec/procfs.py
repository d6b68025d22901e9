"""The process table from Linux's /proc, read directly: cheap, and no psutil needed.

The leak check lists a test's descendants several times per test, and the
subreaper wrapper lists its own before it exits. A single pass over
``/proc/<pid>/stat`` does that without building a psutil object per process
on the machine.
"""

import os


def stat(pid):
    """The fields of ``/proc/<pid>/stat`` after the command name, as bytes.

    Index 0 is the state, 1 the parent pid, 6 the kernel flags, 19 the start
    time (proc(5) fields 3, 4, 9 and 22). The command name may hold spaces and
    parentheses: the fixed fields follow its last closing parenthesis.
    """
    with open(f"/proc/{pid}/stat", "rb") as f:
        data = f.read()
    return data[data.rindex(b")") + 2 :].split()


def stats():
    """``{pid: stat(pid)}`` for every process now in /proc."""
    table = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                table[int(entry)] = stat(entry)
            except OSError:  # it ended meanwhile
                continue
    return table


def parents():
    """``{pid: parent pid}`` for every process now in /proc."""
    return {pid: int(fields[1]) for pid, fields in stats().items()}


def descendant_pids(pid=None):
    """Pids of the processes below ``pid`` (default: this process), zombies included."""
    return [child for child, _ in descendants(pid)]


def descendants(pid=None):
    """``(pid, start time)`` of each process below ``pid`` (default: this process).

    The start time (in clock ticks since boot) tells a process from a later
    one that got the same pid.
    """
    table = stats()
    children = {}
    for child, fields in table.items():
        children.setdefault(int(fields[1]), []).append((child, int(fields[19])))
    found, todo = [], [os.getpid() if pid is None else pid]
    while todo:
        below = children.get(todo.pop(), [])
        found.extend(below)
        todo.extend(child for child, _ in below)
    return found
