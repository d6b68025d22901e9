"""The process table from Linux's /proc, read directly: cheap, and no psutil needed.

The leak check lists a test's descendants several times per test, and the
subreaper wrapper lists its own before it exits. A single pass over
``/proc/<pid>/stat`` does that without building a psutil object per process
on the machine. Child targets ask it whether a process is gone or a zombie,
and who its parent is.

Here too: this process's CPU affinity, read and set (:func:`usable_cpus`,
:func:`pin_to`) with the os module where it can, and where it cannot (PyPy 7.3's
has no ``sched_getaffinity``), from /proc and through libc.
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


def state(pid):
    """The state of ``pid`` as proc(5) gives it (``"R"``, ``"S"``, ``"Z"`` for a zombie,
    ...), or None if there is no such process."""
    try:
        return stat(pid)[0].decode()
    except OSError:  # gone
        return None


def parent_of(pid):
    """The parent pid of ``pid``, or None if there is no such process."""
    try:
        return int(stat(pid)[1])
    except OSError:  # gone
        return None


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
    return [child for child, _ in descendants_and_starts(pid)]


def descendants_and_starts(pid=None):
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


def pids_with_environ(entry):
    """Pids of the processes (this one aside) whose environment holds ``entry``
    (``b"NAME=value"``), wherever they are in the tree: orphans too."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == os.getpid():
            continue
        try:
            with open(f"/proc/{name}/environ", "rb") as f:
                if entry in f.read().split(b"\0"):
                    found.append(int(name))
        except OSError:  # gone, or not ours to read
            continue
    return found


def resident_bytes():
    """This process's resident memory, from ``/proc/self/statm``."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def files_in_use(pids, wanted):
    """Those of ``wanted`` files, as ``(st_dev, st_ino)`` pairs, that one of ``pids``
    maps into memory or holds open.

    Files are compared by device and inode, never by path: a process that sees
    the file through another mount (a container, a chroot, a bind mount) shows
    another path for it in ``/proc/<pid>/maps`` and its fd links, and a mapped
    POSIX semaphore shows under the temporary name glibc created it with. A
    pid that ended or cannot be read meanwhile counts as using nothing.
    """
    wanted = set(wanted)
    found = set()
    if not wanted:
        return found
    inodes = {ino for _, ino in wanted}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/maps") as maps:
                for line in maps:
                    # address perms offset dev inode [path]
                    fields = line.split(maxsplit=5)
                    if len(fields) >= 5 and int(fields[4]) in inodes:
                        major, minor = fields[3].split(":")
                        found.add((os.makedev(int(major, 16), int(minor, 16)), int(fields[4])))
            fd_dir = f"/proc/{pid}/fd"
            for fd in os.listdir(fd_dir):
                try:
                    st = os.stat(f"{fd_dir}/{fd}")  # follows the link to the open file itself
                except OSError:  # closed meanwhile
                    continue
                found.add((st.st_dev, st.st_ino))
        except OSError:  # ended meanwhile, or not ours to read
            continue
        if wanted <= found:
            break
    return found & wanted


def usable_cpus():
    """The CPUs this process may run on (its affinity), sorted."""
    getaffinity = getattr(os, "sched_getaffinity", None)
    if getaffinity is not None:
        return sorted(getaffinity(0))
    return allowed_cpus()


def allowed_cpus(status_path="/proc/self/status"):
    """The CPUs in the ``Cpus_allowed_list`` line of ``status_path`` (``0-3,8``), sorted:
    the same affinity mask that ``sched_getaffinity`` reads."""
    with open(status_path) as f:
        for line in f:
            name, _, value = line.partition(":")
            if name == "Cpus_allowed_list":
                break
        else:
            raise LookupError(f"no Cpus_allowed_list in {status_path}")
    cpus = []
    for part in value.strip().split(","):
        first, _, last = part.partition("-")
        cpus.extend(range(int(first), int(last or first) + 1))
    return sorted(cpus)


def pin_to(cpu):
    """Restrict this process to ``cpu``; the threads and processes it starts later inherit that.

    Call it from the main thread: ``sched_setaffinity`` with pid 0 sets the calling thread's.
    """
    setaffinity = getattr(os, "sched_setaffinity", None)
    if setaffinity is not None:
        setaffinity(0, {cpu})
        return
    import ctypes

    word = 8 * ctypes.sizeof(ctypes.c_ulong)
    mask = (ctypes.c_ulong * (1024 // word))()  # glibc's cpu_set_t: 1024 CPUs
    mask[cpu // word] = 1 << (cpu % word)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.sched_setaffinity(0, ctypes.sizeof(mask), ctypes.byref(mask)) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"sched_setaffinity to CPU {cpu}: {os.strerror(errno)}")
