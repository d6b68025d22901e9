"""Child targets of spec/test_basics.py.

See :mod:`mpspec.runtime.targets` for the rules every target follows.
"""

import os
import time

from mpspec.runtime import procfs
from mpspec.runtime.bounds import TIMEOUT


def send_ancestry(conn):
    """Send our pid followed by each ancestor's, up to the root of the tree."""

    chain = [os.getpid()]
    while chain[-1] > 1:
        chain.append(int(procfs.stat(chain[-1])[1]))
        if chain[-1] == 0:
            break
    conn.send(chain)
    conn.close()


def send_process_roots(conn):
    """For every process on the system, follow parent pids up; send, per process,
    the last pid before 0 and whether the process is a kernel thread.

    /proc is read in order of pid, so a parent whose pid comes after its child's (pids
    wrap around) may end between the two reads: the child's chain then stops at a pid
    that is gone. Such a child has a new parent by then (a process is re-parented
    before its old parent disappears from /proc), so its chain is read again, live.
    """

    pf_kthread = 0x00200000
    table = procfs.stats()
    parents = {pid: int(fields[1]) for pid, fields in table.items()}
    roots = {}
    for pid, fields in table.items():
        chain = [pid]
        while parents.get(chain[-1], 0) != 0 and len(chain) <= len(parents):
            chain.append(parents[chain[-1]])
        root = chain[-1] if chain[-1] in parents else _live_root(pid)
        if root is not None:  # None: the process itself has ended meanwhile
            roots[pid] = (root, bool(int(fields[6]) & pf_kthread))
    conn.send(roots)
    conn.close()


def _live_root(pid):
    """The last pid before 0 on the chain of parents from ``pid``, read from /proc now;
    None if ``pid`` has ended. A parent that ends during the walk starts it again: its
    children have been re-parented by the time it is gone. Bounded by TIMEOUT."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        chain = [pid]
        try:
            while True:
                parent = int(procfs.stat(chain[-1])[1])
                if parent == 0 or parent in chain:  # the root, or a loop (which the test shows)
                    return chain[-1]
                chain.append(parent)
        except OSError:  # chain[-1] has ended
            if len(chain) == 1:
                return None
    raise TimeoutError(f"the parents of {pid} kept changing for {TIMEOUT}s")


def fork_and_report(conn):
    """Call os.fork(); send what it returned in each branch, and the new child's pid."""
    reader, writer = os.pipe()
    returned = os.fork()
    if returned == 0:
        os.write(writer, f"{returned} {os.getpid()}".encode())
        os._exit(0)
    os.close(writer)
    in_child, child_pid = map(int, _read_all(reader).split())
    os.waitpid(returned, 0)
    conn.send({"in_parent": returned, "in_child": in_child, "child_pid": child_pid})
    conn.close()


def fork_and_write(conn):
    """After os.fork(), each side writes to its copy of a list; send what each side sees."""
    data = ["before fork"]
    go_r, go_w = os.pipe()
    seen_r, seen_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(go_w)
        _read_all(go_r)  # wait (EOF) until the parent has written
        seen_by_child = data[0]
        data[0] = "written by child"
        os.write(seen_w, seen_by_child.encode())
        os._exit(0)
    os.close(go_r)
    os.close(seen_w)
    data[0] = "written by parent"
    os.close(go_w)
    seen_by_child = _read_all(seen_r)
    os.waitpid(pid, 0)
    conn.send({"child_saw": seen_by_child, "parent_sees": data[0]})
    conn.close()


def _read_all(fd):
    chunks = []
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            os.close(fd)
            return b"".join(chunks).decode()
        chunks.append(chunk)
