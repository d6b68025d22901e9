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
