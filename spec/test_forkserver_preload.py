"""set_forkserver_preload() imports modules once, in the forkserver, for all its children.

Python documentation, multiprocessing.set_forkserver_preload() (not the
tutorial): the named modules are imported by the forkserver when it starts, so
its children begin with them imported instead of importing them each. A name
that fails to import is skipped without a word. Under fork and spawn the call
changes nothing.
"""

import pytest

from mpspec.plugin import runner

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


def test_preloaded_modules_are_imported_by_the_forkserver_for_its_children(start_method, observe):
    """After set_forkserver_preload() with our module ``forkserver_preload_module`` and a
    name that does not exist, every forkserver child starts with it imported by its parent,
    the forkserver, and the missing name stops nothing. Fork and spawn children start without it."""
    out = runner.run_fresh_interpreter(PROGRAM, start_method).split("\n")
    observe("imported by the forkserver" if out[0] == "True" else "not imported")
    preloaded = "True" if start_method == "forkserver" else "None"
    assert out[:3] == [preloaded, preloaded, "exitcode 0"]
