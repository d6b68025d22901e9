"""A child can be given any argument under fork; under spawn and forkserver arguments are
pickled.

Python documentation, "Programming guidelines" (not the tutorial): under spawn
and forkserver the arguments travel to the child pickled, so an object that
pickle refuses (a threading.Lock, an open file, a generator) fails start() in
the parent, and an object arrives as its pickled state says, not as it is.
keylime#1773 broke on 3.14 with an SSLContext argument.
"""

import pickle
import sys
import threading

import pytest

from mpspec.plugin import pickled
from mpspec.runtime.targets import args_pickle

pytestmark = pytest.mark.claim("args-must-pickle")


def generator():
    yield "next value"


def make_argument(kind, tmp_path):
    if kind == "lock":
        return threading.Lock()
    if kind == "file":
        return open(tmp_path / "opened-by-the-parent", "wb")
    return generator()


def expected_error(kind):
    """The exception start() raises for an argument of this kind."""
    if sys.implementation.name != "cpython" and kind != "file":
        return pickle.PicklingError  # PyPy's pickle, for the lock and the generator
    return TypeError  # "cannot pickle '_thread.lock' object", and so on


@pytest.mark.parametrize("kind", ["lock", "file", "generator"])
def test_an_unpicklable_argument_works_under_fork_and_fails_start_elsewhere(
    ctx, start_method, kind, tmp_path, observe
):
    """A threading.Lock, an open file or a generator given as an argument is usable in a
    fork child; under spawn and forkserver start() raises in the parent, and no child was
    created."""
    arg = make_argument(kind, tmp_path)
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=args_pickle.use_argument, args=(kind, arg, sender))
    expected = {"lock": "locked and released", "file": "written"}.get(kind, "next value")
    try:
        observe(
            pickled.runs_under_fork_else_start_raises(
                start_method, proc, receiver, sender, expected, expected_error(kind)
            )
        )
    finally:
        if kind == "file":
            arg.close()


def test_an_argument_arrives_as_its_pickled_state_except_under_fork(call_in_child, start_method):
    """An object whose __getstate__ leaves out an attribute has that attribute in a fork
    child (a copy of the parent's object), and lacks it in a spawn or forkserver child,
    which gets what was pickled."""
    seen = call_in_child(args_pickle.send_attributes, args_pickle.DropsASecret())
    if start_method == "fork":
        assert seen == ("public", "secret")
    else:
        assert seen == ("public", None)
