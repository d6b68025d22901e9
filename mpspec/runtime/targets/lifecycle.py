"""Child targets for the Process object: arguments, names, start, join, exit.

See :mod:`mpspec.runtime.targets` for the rules every target follows.
"""

import os
import sys
import threading
import time

from mpspec.runtime import impl
from mpspec.runtime.bounds import REFUSAL, TIMEOUT
from mpspec.runtime.targets.common import outlive_parent


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
    acquired = HELD_BY_A_THREAD.acquire(timeout=REFUSAL)
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
    """Send whether this process can take ``import_time_lock.LOCK`` (the one it finds at
    import) and ``passed`` (the parent's, given as an argument), waiting REFUSAL for each."""
    from mpspec.runtime.targets import import_time_lock

    results = []
    for lock in (import_time_lock.LOCK, passed):
        taken = lock.acquire(timeout=REFUSAL)
        if taken:
            lock.release()
        results.append(taken)
    conn.send(results)
    conn.close()


def report_preloaded(conn):
    """Send whether the module ``preloaded`` was imported before we ran, and if so whether
    by our parent (None if it was not imported)."""
    preloaded = sys.modules.get("mpspec.runtime.targets.preloaded")
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


def wait_for_release(conn, python_sigint=False):
    """Say "waiting", then block until something arrives on ``conn`` (bounded).

    ``python_sigint``: first give SIGINT Python's own handler (KeyboardInterrupt), as
    an interpreter started from a terminal has it. A process that starts while SIGINT
    is ignored (a background job of a non-interactive shell, say) keeps it ignored,
    and so do the children it starts, under every start method.

    Then the wait also ends when a signal arrives. The interpreter runs a Python
    handler at its next check for signals (between bytecodes, or when a system call
    is interrupted), not when the signal arrives: one that lands after the last
    check and before the wait's system call has begun interrupts nothing, and would
    be handled only once the wait timed out, TIMEOUT later. Python's wake-up fd
    (``signal.set_wakeup_fd``) gets a byte from the C-level handler the moment the
    signal arrives, so waiting on it as well closes that window."""
    if not python_sigint:
        conn.send("waiting")
        if conn.poll(TIMEOUT):
            conn.recv()
        conn.close()
        return
    import select
    import signal

    from mpspec.runtime.reaper import wakeup_pipe

    signal.signal(signal.SIGINT, signal.default_int_handler)
    wake_r = wakeup_pipe()
    conn.send("waiting")
    if conn.fileno() in select.select([conn.fileno(), wake_r], [], [], TIMEOUT)[0]:
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


def exit_when_released(conn):
    """Return at once, but hold the process at its very end: the next ``os._exit()`` (the
    call with which a fork or forkserver child ends, after everything else it does,
    reporting its exit code included) first says "exiting" on ``conn``, then waits until
    something arrives there (bounded), then exits."""
    real_exit = os._exit

    def held_exit(code):
        conn.send("exiting")
        if conn.poll(TIMEOUT):
            conn.recv()
        real_exit(code)

    os._exit = held_exit
