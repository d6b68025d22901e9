"""set_forkserver_preload() imports modules once, in the forkserver, for all its children.

Python documentation, multiprocessing.set_forkserver_preload() (not the
tutorial): the named modules are imported by the forkserver when it starts, so
its children begin with them imported instead of importing them each. A name
that fails to import is skipped without a word. Under fork and spawn the call
changes nothing. "Fails to import" means ImportError only: a module that raises
anything else at import kills the forkserver, and start() fails in the parent.
"""

import os
import subprocess
import sys

import pytest

from mpspec.runtime import impl
from mpspec.runtime.bounds import TIMEOUT

PRELOADED = "mpspec.runtime.targets.forkserver_preload_module"

pytestmark = pytest.mark.claim("forkserver-preload")

# A fresh interpreter: the preload list counts only for a forkserver not yet started.
PROGRAM = """
import sys
from mpspec.runtime.bounds import TIMEOUT
from mpspec.runtime.targets import forkserver_preload

if __name__ == "__main__":
    m = __import__(sys.argv[1])
    ctx = m.get_context(sys.argv[2])
    ctx.set_forkserver_preload(
        ["mpspec.runtime.targets.forkserver_preload_module", "mpspec_no_such_module"]
    )
    for _ in range(2):
        receiver, sender = ctx.Pipe(duplex=False)
        child = ctx.Process(target=forkserver_preload.report_preloaded, args=(sender,))
        child.start()
        sender.close()
        print(receiver.recv() if receiver.poll(TIMEOUT) else "nothing", flush=True)
        child.join(TIMEOUT)
    print("exitcode", child.exitcode)
"""


def run_program(program, *args, env=None):
    """Run ``python -c program IMPL ARGS...`` in a new interpreter (the preload list counts
    only for a forkserver not yet started); return its (stdout, stderr). It must exit 0."""
    done = subprocess.run(
        [sys.executable, "-c", program, impl.name(), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout, done.stderr


def test_preloaded_modules_are_imported_by_the_forkserver_for_its_children(start_method, observe):
    """After set_forkserver_preload() with our module ``forkserver_preload_module`` and a
    name that does not exist, every forkserver child starts with it imported by its parent,
    the forkserver, and the missing name stops nothing and is not mentioned: nothing is
    written on stderr. Fork and spawn children start without it."""
    out, err = run_program(PROGRAM, start_method)
    out = out.split("\n")
    observe("imported by the forkserver" if out[0] == "True" else "not imported")
    preloaded = "True" if start_method == "forkserver" else "None"
    assert out[:3] == [preloaded, preloaded, "exitcode 0"]
    assert err == ""


# The module named on the command line is preloaded; it raises at import.
RAISING_PROGRAM = """
import sys
from mpspec.runtime.bounds import TIMEOUT
from mpspec.runtime.targets import forkserver_preload

if __name__ == "__main__":
    ctx = __import__(sys.argv[1]).get_context(sys.argv[2])
    ctx.set_forkserver_preload([sys.argv[3]])
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=forkserver_preload.send_ran, args=(sender,))
    try:
        child.start()
    except Exception as exc:
        lost = "lost the forkserver" if isinstance(exc, (EOFError, ConnectionError)) else "other"
        print("start() raised", lost, type(exc).__name__)
    else:
        sender.close()
        print(receiver.recv() if receiver.poll(TIMEOUT) else "nothing")
        child.join(TIMEOUT)
"""


def test_a_preloaded_module_that_raises_other_than_importerror_kills_the_forkserver(
    start_method, tmp_path, observe
):
    """A preloaded module whose import raises ValueError is not skipped as a missing one
    is: only ImportError is. The forkserver dies of it (its traceback is on stderr) and
    start() fails in the parent, with EOFError or a ConnectionError (which one depends on
    the version and on when the forkserver died), before any child runs. Under fork and
    spawn the preload list is not used, and the child runs."""
    (tmp_path / "mpspec_preload_raises.py").write_text(
        'raise ValueError("mpspec_preload_raises fails at import")\n'
    )
    path = os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")]))
    out, err = run_program(
        RAISING_PROGRAM,
        start_method,
        "mpspec_preload_raises",
        env=dict(os.environ, PYTHONPATH=path),
    )
    # Which exception it is depends on when the forkserver died: a figure, not a category.
    lost = out.startswith("start() raised lost the forkserver ")
    observe(
        "start() fails: the forkserver is gone" if lost else out.strip(),
        measured=out.strip().rpartition(" ")[2] if lost else None,
    )
    if start_method == "forkserver":
        assert out.startswith("start() raised lost the forkserver ")
        assert "ValueError: mpspec_preload_raises fails at import" in err
    else:
        assert out == "ran\n"
        assert err == ""


# Each child reports whether the module named on the command line (argv[3]) was imported
# before it ran, and by whom; the preload list is set at ``SET_AT``.
REPORT_TWICE = """
import sys
from mpspec.runtime.bounds import TIMEOUT
from mpspec.runtime.targets import forkserver_preload

def report(ctx, name):
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=forkserver_preload.report_imported, args=(name, sender))
    child.start()
    sender.close()
    print(receiver.recv() if receiver.poll(TIMEOUT) else "nothing", flush=True)
    child.join(TIMEOUT)

if __name__ == "__main__":
    ctx = __import__(sys.argv[1]).get_context(sys.argv[2])
    name = sys.argv[3]
    SET_AT
"""


def test_a_preload_list_set_after_the_first_start_changes_nothing(start_method, observe):
    """The preload list is handed to the forkserver when it starts: set after a first
    child has started (and with it the forkserver), it does not reach the running
    forkserver, and a second child finds the module not imported, as the first did."""
    program = REPORT_TWICE.replace(
        "SET_AT",
        "report(ctx, name)\n    ctx.set_forkserver_preload([name])\n    report(ctx, name)",
    )
    out, err = run_program(program, start_method, PRELOADED)
    observe("not imported" if out == "None\nNone\n" else "imported")
    assert out == "None\nNone\n"
    assert err == ""


def preload_follows_the_parent_s_sys_path():
    """Whether the forkserver imports the preload list with the parent's sys.path
    (gh-117378: CPython 3.13.1, in the 3.13.1 section of the NEWS file of Debian's 3.13.18;
    on the 3.12 branch from 3.12.8, its backport merged in November 2024, not run).
    Before, it used its own sys.path, that of a ``python -c`` started in the parent's
    working folder (run here: 3.9.18 to 3.13.0 and PyPy 3.9 do not follow; 3.13.18,
    3.14.10 and 3.15.2 do)."""
    version = sys.version_info[:3]
    return sys.implementation.name == "cpython" and (
        (3, 12, 8) <= version < (3, 13) or version >= (3, 13, 1)
    )


def test_a_module_only_the_parent_s_sys_path_finds_is_preloaded_where_the_path_travels(
    start_method, tmp_path, observe
):
    """A module in a folder that the parent put on its sys.path at run time (not on
    PYTHONPATH, not the working folder), named in set_forkserver_preload(): a forkserver
    given the parent's sys.path imports it for its children (CPython 3.12.8+ and
    3.13.1+); before, the forkserver cannot find it, skips it without a word, and its
    children start without it. Fork and spawn children start without it either way."""
    (tmp_path / "mpspec_preload_on_sys_path.py").write_text(
        "import os\nIMPORTED_IN = os.getpid()\n"
    )
    program = REPORT_TWICE.replace(
        "SET_AT",
        "sys.path.insert(0, sys.argv[4])\n"
        "    ctx.set_forkserver_preload([name])\n"
        "    report(ctx, name)",
    )
    out, err = run_program(program, start_method, "mpspec_preload_on_sys_path", str(tmp_path))
    preloaded = start_method == "forkserver" and preload_follows_the_parent_s_sys_path()
    observe("imported by the forkserver" if out == "True\n" else "not imported")
    assert out == ("True\n" if preloaded else "None\n")
    assert err == ""
