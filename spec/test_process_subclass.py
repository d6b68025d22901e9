"""A Process subclass travels pickled, attributes included, except under fork.

Python documentation, "Programming guidelines" (not the tutorial): under spawn
and forkserver the Process object itself is pickled and sent to the child, so a
subclass that keeps an unpicklable attribute (a threading.Lock, a socket, a
database connection) starts under fork only; under the others start() fails in
the parent. Open such resources in run().
"""

import pickle
import sys

import pytest

from mpspec.plugin import pickled
from mpspec.runtime.targets import process_subclass

pytestmark = pytest.mark.claim("process-subclass-picklable")


def test_a_subclass_holding_a_lock_runs_under_fork_and_fails_start_elsewhere(
    ctx, start_method, observe
):
    """A Process subclass that sets a threading.Lock attribute in __init__ runs under fork;
    under spawn and forkserver start() raises in the parent (TypeError on CPython,
    PicklingError on PyPy) and no child was created."""
    subclass = process_subclass.holds_a_lock_process(start_method)
    receiver, sender = ctx.Pipe(duplex=False)
    proc = subclass(sender)
    expected = TypeError if sys.implementation.name == "cpython" else pickle.PicklingError
    observe(
        pickled.runs_under_fork_else_start_raises(
            start_method, proc, receiver, sender, "ran", expected
        )
    )
