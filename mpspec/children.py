"""Targets that the spec's child processes run.

Spawn and forkserver children find a target by its module and name, so every
target lives here, at module level. A target that needs the implementation
under test loads it through :mod:`mpspec.impl`, which reads the name that the
harness put in the environment; it never imports ``multiprocessing`` itself.
"""

import os
import sys
import threading
import time

from mpspec import channel, impl, procfs

TIMEOUT = channel.TIMEOUT

# A module global with a known import-time value (claim isolated-globals).
STATE = "import-time"

# Set by a Pool initializer (claim pool-get-timeout): synchronisation objects
# may reach pool workers only through inheritance, not as task arguments.
_pool_events = {}


def do_nothing():
    """Exit at once with status 0."""


def send(value, conn):
    """Send ``value`` on ``conn``."""
    conn.send(value)
    conn.close()


def send_state(conn):
    """Send this process's view of ``STATE``."""
    conn.send(STATE)
    conn.close()


def set_state(value, conn):
    """Change ``STATE`` in this process and send it back to confirm."""
    global STATE
    STATE = value
    conn.send(STATE)
    conn.close()


def echo_once(conn):
    """Receive one message on ``conn`` and send it back."""
    if conn.poll(TIMEOUT):
        conn.send(("echo", conn.recv()))
    conn.close()


def send_rss_after_allocating(conn, nbytes):
    """Allocate and touch ``nbytes``, send our resident set size, then exit."""
    ballast = bytearray(nbytes)
    for i in range(0, nbytes, 4096):
        ballast[i] = 1
    conn.send(procfs.resident_bytes())
    conn.close()


def outlive_parent(inbox, owner, seconds, conn):
    """Report to ``inbox`` how this child fares when ``owner`` (the process that started it) dies.

    Sends "child-started" with our parent and grandparent pids, then works for
    up to ``seconds`` (simulated work, as in the tutorial's examples). If
    ``owner`` ends meanwhile, sends "parent-gone" with our parent and
    grandparent pids as they are then, and returns. If the work runs to its
    end, sends "child-finished".
    """
    parent = os.getppid()
    channel.send(inbox, "child-started", ppid=parent, grandparent=int(procfs.stat(parent)[1]))
    conn.send("started")
    conn.close()
    import psutil  # after reporting: the parent waits for that

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            # A zombie owner has already exited and handed its children on.
            owner_gone = psutil.Process(owner).status() == psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            owner_gone = True
        if owner_gone:
            parent = os.getppid()
            channel.send(inbox, "parent-gone", ppid=parent, grandparent=_ppid_of(parent))
            return
        time.sleep(0.002)
    channel.send(inbox, "child-finished")


def _ppid_of(pid):
    import psutil

    try:
        return psutil.Process(pid).ppid()
    except psutil.NoSuchProcess:
        return None


def try_to_start_a_child(method, conn):
    """Try to start a grandchild; send ("started", exitcode) or ("refused", error text)."""
    ctx = impl.context(method)
    grandchild = ctx.Process(target=do_nothing)
    try:
        grandchild.start()
    except AssertionError as exc:
        conn.send(("refused", str(exc)))
    else:
        grandchild.join(TIMEOUT)
        conn.send(("started", grandchild.exitcode))
    conn.close()


def work_after_release(release, done_conn, seconds):
    """Wait for ``release`` (bounded), work for ``seconds``, then report completion."""
    if release.poll(TIMEOUT):
        release.recv()
        time.sleep(seconds)  # simulated work after the release
        done_conn.send("done")
    done_conn.close()


def init_pool_slots(generation, started, release, done):
    """Pool initializer: keep the per-slot events where slot tasks can find them."""
    _pool_events.update(generation=generation, started=started, release=release, done=done)


def hold_slot(x, generation, timeout=TIMEOUT):
    """A pool task holding slot ``x``: say it started, wait (bounded) for release, finish.

    Returns ``(x, our pid, finish time, whether it was released)`` and sets slot
    ``x``'s done event on the way out (see :mod:`mpspec.pools`). A task of an
    earlier ``generation`` (a test that ended before it ran) returns at once
    and touches no event.
    """
    if generation != _pool_events["generation"].value:
        return x, os.getpid(), time.monotonic(), False
    _pool_events["started"][x].set()
    released = _pool_events["release"][x].wait(timeout)
    finished = time.monotonic()
    _pool_events["done"][x].set()
    return x, os.getpid(), finished, released


def square(x):
    return x * x


def exit_with(code):
    sys.exit(code)


def put_nowait_and_report(q, item, conn):
    """Try ``q.put_nowait(item)``; send "put" or the exception's class name."""
    try:
        q.put_nowait(item)
    except Exception as exc:
        conn.send(type(exc).__name__)
    else:
        conn.send("put")
    conn.close()


# --- basics ---------------------------------------------------------------


def send_ancestry(conn):
    """Send our pid followed by each ancestor's, up to the root of the tree."""
    from mpspec import procfs

    chain = [os.getpid()]
    while chain[-1] > 1:
        chain.append(int(procfs.stat(chain[-1])[1]))
        if chain[-1] == 0:
            break
    conn.send(chain)
    conn.close()


def send_process_roots(conn):
    """For every process on the system, follow parent pids up; send, per process,
    the last pid before 0 and whether the process is a kernel thread."""
    from mpspec import procfs

    pf_kthread = 0x00200000
    table = procfs.stats()
    parents = {pid: int(fields[1]) for pid, fields in table.items()}
    roots = {}
    for pid, fields in table.items():
        chain = [pid]
        while parents.get(chain[-1], 0) != 0 and len(chain) <= len(parents):
            chain.append(parents[chain[-1]])
        roots[pid] = (chain[-1], bool(int(fields[6]) & pf_kthread))
    conn.send(roots)
    conn.close()


def change_global_in_a_thread(value, conn):
    """Set ``STATE`` from a second thread; send what the main thread then sees."""
    import threading

    def change():
        global STATE
        STATE = value

    thread = threading.Thread(target=change)
    thread.start()
    thread.join()
    conn.send(STATE)
    conn.close()


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


# --- CPU, threads and the GIL ---------------------------------------------


def _run_all(threads):
    """Start every thread, then wait for each to end."""
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def _spin_until(deadline, samples=None):
    """Spin until ``deadline``; every few microseconds of work, append (wall, CPU) times."""
    iterations = 0
    while True:
        for _ in range(200):
            iterations += 1
        now = time.monotonic()
        if samples is not None:
            samples.append((now, time.process_time()))
        if now >= deadline:
            return iterations


def spin_on_cpu(cpu, start, seconds, conn):
    """Pin to ``cpu`` (None: stay unpinned), say "ready", wait for ``start``, spin for
    ``seconds``.

    Then sends when it began, (wall, CPU) time samples taken as the work progressed,
    and the CPU time used.
    """
    if cpu is not None:
        from mpspec import proctree  # psutil only where needed: it slows every spawn

        proctree.pin_to(cpu)
    conn.send("ready")
    start.wait(TIMEOUT)
    samples = []
    cpu_before = time.process_time()
    began = time.monotonic()
    _spin_until(began + seconds, samples)
    conn.send({"began": began, "samples": samples, "cpu": time.process_time() - cpu_before})
    conn.close()


def spin_in_threads(nthreads, seconds, conn):
    """Spin in ``nthreads`` threads until a common deadline ``seconds`` away; send the CPU
    time they spun (each thread's own, from time.thread_time()) and the wall time from the
    first thread's start of spinning to the last one's end: thread start-up and joins
    count in neither."""
    import threading

    deadline = time.monotonic() + seconds
    spans = []  # (began, ended, CPU seconds), one per thread

    def spin():
        began, cpu = time.monotonic(), time.thread_time()
        _spin_until(deadline)
        spans.append((began, time.monotonic(), time.thread_time() - cpu))

    threads = [threading.Thread(target=spin) for _ in range(nthreads)]
    _run_all(threads)
    gil = getattr(sys, "_is_gil_enabled", lambda: True)()
    conn.send(
        {
            "cpu": sum(cpu for _, _, cpu in spans),
            "wall": max(end for _, end, _ in spans) - min(began for began, _, _ in spans),
            "gil_enabled": gil,
        }
    )
    conn.close()


def block_in_threads(nthreads, seconds, how, conn):
    """Block ``nthreads`` threads for ``seconds`` each (``how``: "sleep" or "select");
    send each block's start and end (time.monotonic()), taken around the blocking call."""
    import select
    import threading

    stamps = []

    def block():
        began = time.monotonic()
        if how == "sleep":
            time.sleep(seconds)  # the blocking call under test
        else:
            r, w = os.pipe()
            select.select([r], [], [], seconds)
            os.close(r)
            os.close(w)
        stamps.append((began, time.monotonic()))  # list.append is atomic

    threads = [threading.Thread(target=block) for _ in range(nthreads)]
    _run_all(threads)
    conn.send(stamps)
    conn.close()


def run_many_threads(nthreads, conn):
    """Start ``nthreads`` threads that all wait on one event; send how many ran at once.

    The threads are daemonic and still waiting when this returns: the process
    ends right after, and joining two thousand threads one by one would take
    longer than starting them.
    """
    import threading

    release = threading.Event()
    started = 0
    for _ in range(nthreads):
        threading.Thread(target=release.wait, args=(TIMEOUT,), daemon=True).start()
        started += 1
    alive_at_once = threading.active_count()
    conn.send({"started": started, "alive_at_once": alive_at_once})
    conn.close()


def default_pool_size(method, conn):
    """Restrict our CPU affinity to one CPU, make Pool() without a size, send its size."""
    from mpspec import proctree

    module = impl.load()
    proctree.pin_to(proctree.usable_cpus()[0])
    ctx = module.get_context(method)
    before = {p.pid for p in module.active_children()}
    pool = ctx.Pool()
    try:
        workers = [p for p in module.active_children() if p.pid not in before]
    finally:
        pool.terminate()
        pool.join()
    conn.send(
        {
            "workers": len(workers),
            "cpu_count": os.cpu_count(),
            "usable_cpus": len(proctree.usable_cpus()),
        }
    )
    conn.close()


# --- the Process object ---------------------------------------------------


def send_call(*args, conn, **kwargs):
    """Send what we were called with, and our pid and parent pid."""
    conn.send({"args": args, "kwargs": kwargs, "pid": os.getpid(), "ppid": os.getppid()})
    conn.close()


def send_surroundings(name, conn):
    """Send the environment variable ``name`` (or None), the working folder and sys.path."""
    conn.send({"environ": os.environ.get(name), "cwd": os.getcwd(), "sys_path": list(sys.path)})
    conn.close()


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


def send_file_identity(fd, conn):
    """Send (st_dev, st_ino) of what descriptor ``fd`` is open on here, or None if closed."""
    try:
        st = os.fstat(fd)
    except OSError:
        conn.send(None)
    else:
        conn.send((st.st_dev, st.st_ino))
    conn.close()


# A lock that a thread of the test process holds while it starts a child (see
# spec/test_fork_threads.py): a fork child gets a copy of it as it is then.
HELD_BY_A_THREAD = threading.Lock()


def report_threads_and_lock(conn):
    """Send how many threads this process has and whether HELD_BY_A_THREAD can be taken."""
    acquired = HELD_BY_A_THREAD.acquire(timeout=0.2)
    if acquired:
        HELD_BY_A_THREAD.release()
    conn.send({"threads": threading.active_count(), "lock_free": acquired})
    conn.close()


def use_argument(kind, arg, conn):
    """Use an argument that pickle refuses (a threading.Lock, an open file, a generator) as
    a fork child can; send what came of it."""
    if kind == "lock":
        with arg:
            conn.send("locked and released")
    elif kind == "file":
        arg.write(b"written by the child")
        arg.flush()
        conn.send("written")
    else:
        conn.send(next(arg))
    conn.close()


class DropsASecret:
    """An object whose pickled state leaves out one of its attributes."""

    def __init__(self):
        self.public, self.secret = "public", "secret"

    def __getstate__(self):
        return {"public": self.public}


def send_attributes(obj, conn):
    """Send the ``public`` and ``secret`` attributes of ``obj`` (None where missing)."""
    conn.send((getattr(obj, "public", None), getattr(obj, "secret", None)))
    conn.close()


def try_import_time_lock(passed, conn):
    """Send whether this process can take mpspec.import_time_lock.LOCK (the one it finds at
    import) and ``passed`` (the parent's, given as an argument), waiting 0.2 s for each."""
    from mpspec import import_time_lock

    results = []
    for lock in (import_time_lock.LOCK, passed):
        taken = lock.acquire(timeout=0.2)
        if taken:
            lock.release()
        results.append(taken)
    conn.send(results)
    conn.close()


def report_preloaded(conn):
    """Send whether mpspec.preloaded was imported before we ran, and if so whether by our
    parent (None if it was not imported)."""
    preloaded = sys.modules.get("mpspec.preloaded")
    conn.send(None if preloaded is None else os.getppid() == preloaded.IMPORTED_IN)
    conn.close()


class HoldsALockProcess:
    """A Process subclass's body (spec/test_process_subclass.py): an attribute that pickle
    refuses, set in __init__. ``holds_a_lock_process(method)`` makes the subclass of that
    start method's Process class, importable by name as pickle needs."""

    def __init__(self, conn):
        super().__init__()
        self.conn = conn
        self.lock = threading.Lock()

    def run(self):
        with self.lock:
            self.conn.send("ran")
        self.conn.close()


def holds_a_lock_process(method):
    """The HoldsALockProcess subclass of the implementation's Process for ``method``."""
    return getattr(sys.modules[__name__], f"HoldsALockProcess_{method}")


def __getattr__(name):
    # Module attributes made on first use (PEP 562), so that pickle finds the
    # Process subclass of each start method by name, in the parent and the child.
    prefix = "HoldsALockProcess_"
    if name.startswith(prefix):
        method = name[len(prefix) :]
        base = impl.load().get_context(method).Process
        cls = type(name, (HoldsALockProcess, base), {"__module__": __name__})
        globals()[name] = cls
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def send_parent_then_wait(conn):
    """Send our parent's pid, then block until something arrives on ``conn`` (bounded)."""
    conn.send(os.getppid())
    if conn.poll(TIMEOUT):
        conn.recv()
    conn.close()


def send_names(method, conn):
    """Send our own name and the default names of processes created here."""
    module = impl.load()
    ctx = module.get_context(method)
    conn.send(
        {
            "own": module.current_process().name,
            "plain": module.Process().name,
            "from_context": ctx.Process().name,
        }
    )
    conn.close()


def raise_error():
    raise RuntimeError("uncaught in the child")


def wait_for_release(conn):
    """Say "waiting", then block until something arrives on ``conn`` (bounded)."""
    conn.send("waiting")
    if conn.poll(TIMEOUT):
        conn.recv()
    conn.close()


def start_grandchild_then_wait(inbox, method, seconds, conn):
    """Start a grandchild that reports on outliving us; send its pid; wait to be terminated."""
    ctx = impl.context(method)
    receiver, sender = ctx.Pipe(duplex=False)
    grandchild = ctx.Process(target=outlive_parent, args=(inbox, os.getpid(), seconds, sender))
    grandchild.start()
    sender.close()
    if receiver.poll(TIMEOUT):
        receiver.recv()
    conn.send(grandchild.pid)
    time.sleep(TIMEOUT)  # the test terminates us long before this


def hold_lock(lock, conn):
    """Acquire ``lock``, say so, and keep it until terminated."""
    lock.acquire()
    conn.send("holding")
    time.sleep(TIMEOUT)  # the test terminates us long before this


def wait_on_event(event, conn):
    """Say so, then wait on ``event`` (bounded) until terminated."""
    conn.send("waiting")
    event.wait(TIMEOUT)


def set_event(event, conn):
    """Say "setting", set ``event``, and report that set() returned."""
    conn.send("setting")
    event.set()
    conn.send("set returned")
    conn.close()


# --- queues, pipes and locks ------------------------------------------------


def produce(q, producer, nthreads, nitems):
    """Put ``nitems`` distinct items from each of ``nthreads`` threads."""
    import threading

    def put_items(thread):
        for i in range(nitems):
            q.put((producer, thread, i))

    threads = [threading.Thread(target=put_items, args=(t,)) for t in range(nthreads)]
    _run_all(threads)


def consume(q, nthreads, conn):
    """Get items in ``nthreads`` threads until each thread gets a None; send all items."""
    import queue as queue_module
    import threading

    received = []

    def get_items():
        mine = []
        while True:
            try:
                item = q.get(timeout=TIMEOUT)
            except queue_module.Empty:
                break
            if item is None:
                break
            mine.append(item)
        received.extend(mine)

    threads = [threading.Thread(target=get_items) for _ in range(nthreads)]
    _run_all(threads)
    conn.send(received)
    conn.close()


def put_bytes(q, nbytes, put_returned):
    """Put one item of ``nbytes`` bytes, set ``put_returned``, then return (and exit)."""
    q.put(b"x" * nbytes)
    put_returned.set()


def put_many_then_exit(q, nitems, size, flush, conn):
    """Put ``nitems`` items of ``size`` bytes; report that put() returned; leave.

    ``flush``: close the queue and wait for its feeder thread before leaving;
    then, or otherwise at once, leave with os._exit().
    """
    for i in range(nitems):
        q.put((i, b"x" * size))
    conn.send("all puts returned")
    conn.close()
    if flush:
        q.close()
        q.join_thread()
    # Either way without the exit handlers and finalizers that a normal exit
    # runs, one of which would flush the queue too: only close() and
    # join_thread() can have delivered what arrives.
    os._exit(0)


def put_items_then_wait(q, nitems, size, conn):
    """Put ``nitems`` items ``(i, size bytes)``, report that put() returned, then return
    (a normal exit, which waits for the queue's feeder thread)."""
    for i in range(nitems):
        q.put((i, b"x" * size))
    conn.send("all puts returned")
    conn.close()


def receive_bytes_and_report(conn, maxlength, report):
    """Receive one message on ``conn`` (at most ``maxlength`` bytes) and send ``report``
    what came: ``("received", first byte, length)`` or ``("error", exception name)``."""
    try:
        data = conn.recv_bytes(maxlength)
    except Exception as exc:  # a corrupted length header: OSError("bad message length")
        report.send(("error", type(exc).__name__))
    else:
        report.send(("received", data[:1], len(data)))
    report.close()


def send_bytes_when_started(conn, fill, nbytes, start):
    """Wait for ``start``, then send one message of ``nbytes`` bytes ``fill``."""
    start.wait(TIMEOUT)
    conn.send_bytes(bytes([fill]) * nbytes)


def exchange_big_messages(conn, nbytes):
    """Send a big message and receive one on the same end, concurrently (threads)."""
    import threading

    sender = threading.Thread(target=conn.send_bytes, args=(b"c" * nbytes,))
    sender.start()
    received = conn.recv_bytes() if conn.poll(TIMEOUT) else b""
    sender.join()
    conn.send(received == b"p" * nbytes)
    conn.close()


def print_lines(conn, number, lines, lock, how, start, printed, go):
    """The tutorial's printing child: once ``start`` is set, print ``lines`` lines of four
    pieces, each print under ``lock``, to a standard output that is ``conn``'s pipe; set
    ``printed``; exit once ``go`` is set (which flushes what its buffer still holds).

    ``how`` is what a fresh interpreter makes of that stdout: "buffered" (a pipe
    or a file: the default), "buffered, flushed" (the same, with print(...,
    flush=True)) or "unbuffered" (python -u, PYTHONUNBUFFERED: each piece is
    written at once).
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
    for _ in range(lines):
        with lock:
            print(f"<{number}", "a", "b", f"{number}>", flush=flush)
    printed.set()
    go.wait(TIMEOUT)


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


def increment_after_barrier(shared, key, barrier):
    """Read-modify-write ``shared[key]`` with everyone's reads before anyone's write."""
    value = shared[key]
    barrier.wait(TIMEOUT)
    shared[key] = value + 1


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


def increment_value_after_barrier(value, barrier):
    increment_after_barrier(ValueItem(value), None, barrier)


def increment_value_with_lock(value, times, barrier):
    increment_with_lock(ValueItem(value), None, value.get_lock(), times, barrier)


def plus_equals_for(counter, key, seconds, barrier, conn):
    """The tutorial's unlocked increment, as written: ``counter.value += 1`` (``key`` None) or
    ``counter[key] += 1``, over and over for ``seconds`` after ``barrier``; send how many."""
    import time

    barrier.wait(TIMEOUT)
    done, deadline = 0, time.monotonic() + seconds
    while time.monotonic() < deadline:
        if key is None:
            counter.value += 1
        else:
            counter[key] += 1
        done += 1
    conn.send(done)
    conn.close()


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


# --- interpreters -----------------------------------------------------------


def import_probe(conn):
    """Import mpspec.probe here; send our pid and whether it is now imported."""
    import mpspec.probe  # noqa: F401

    conn.send({"pid": os.getpid(), "probe_imported": "mpspec.probe" in sys.modules})
    conn.close()
