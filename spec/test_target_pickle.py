"""Any callable can be a Process target under fork; under spawn and forkserver it must
pickle.

Python documentation, "Programming guidelines" (not the tutorial): under spawn
and forkserver the Process object, its target and its arguments are pickled
and sent to the child, so a lambda, a function defined inside another, or a
bound method of an object holding an unpicklable lock cannot be sent. Which
exception start() raises depends on the kind of target and on the version. What
broke projects when Python 3.14 made forkserver the Linux default
(cpython#126831, cms-sw/cmssw#51671). The error surfaces in the parent, in
start(), before any child exists.
"""

import pickle
import sys
import threading

import pytest

from mpspec.plugin import pickled
from mpspec.runtime.targets import target_pickle

pytestmark = pytest.mark.claim("target-must-pickle")


class HoldsALock:
    """An object whose state cannot be pickled: it holds a threading.Lock."""

    def __init__(self):
        self.lock = threading.Lock()

    def send_ran(self, conn):
        conn.send("ran")
        conn.close()


def targets():
    def local_function(conn):
        conn.send("ran")
        conn.close()

    return {
        "lambda": lambda conn: (conn.send("ran"), conn.close()),
        "local function": local_function,
        "bound method": HoldsALock().send_ran,
        "module-level lambda": target_pickle.send_ran_lambda,
    }


def expected_error(kind):
    """The exception start() raises for a target of this kind that cannot be pickled (run
    here: CPython 3.9.18 to 3.13.0, 3.14.10, 3.15.2, PyPy 3.9)."""
    if sys.implementation.name != "cpython":
        return pickle.PicklingError  # PyPy's pickle says so for every kind
    if kind == "bound method":
        return TypeError  # "cannot pickle '_thread.lock' object", on every version
    if kind == "module-level lambda":
        # pickle looks the function up by its module and name, "<lambda>", and fails.
        return pickle.PicklingError
    # "Can't pickle local object" (the lambda here is local too):
    # an AttributeError until 3.13, a PicklingError from 3.14.
    return pickle.PicklingError if sys.version_info >= (3, 14) else AttributeError


@pytest.mark.parametrize(
    "kind", ["lambda", "local function", "bound method", "module-level lambda"]
)
def test_an_unpicklable_target_runs_under_fork_and_fails_start_elsewhere(
    ctx, start_method, kind, observe
):
    """Under fork the child runs a lambda (local or at module level), a local function or
    a bound method of an object holding a lock. Under spawn and forkserver start() raises,
    in the parent, the error the pickler gives for it, of exactly the class this version's
    pickler uses (not a subclass, not another), and no child process was created."""
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=targets()[kind], args=(sender,))
    # Catch any exception, then require the exact class by its name.
    seen = pickled.runs_under_fork_else_start_raises(
        start_method, proc, receiver, sender, "ran", Exception
    )
    observe(seen)
    assert seen == (
        "runs" if start_method == "fork" else f"{expected_error(kind).__name__} in start()"
    )
