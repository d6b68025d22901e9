"""The default start method is set once; explicit contexts leave it alone.

Python documentation, "Contexts and start methods" (not the tutorial):
set_start_method() should be called at most once, and get_context() gives a
context object without changing the default. Code that calls
set_start_method("fork") in a library to get the old behaviour back on 3.14
fails when the program already chose another method.
"""

import pytest

from mpspec.plugin import runner

pytestmark = pytest.mark.claim("set-start-method-once")

# A fresh interpreter: the default start method is state of the whole process.
PROGRAM = """
import sys
m = __import__(sys.argv[1])
method, other = sys.argv[2], sys.argv[3]
m.set_start_method(method)
try:
    m.set_start_method(other)
except RuntimeError as exc:
    print("second call: RuntimeError")
    print("its message:", exc)
else:
    print("second call: accepted")
print("after it:", m.get_start_method())
m.get_context(other)
print("after get_context:", m.get_start_method())
m.set_start_method(other, force=True)
print("forced:", m.get_start_method())
"""


def test_a_second_set_start_method_raises_unless_forced_and_get_context_changes_nothing(
    start_method, observe
):
    """After set_start_method(m), a second call with another method raises RuntimeError
    ("context has already been set") and leaves m; get_context(other) leaves m too; only
    force=True switches."""
    other = "spawn" if start_method != "spawn" else "fork"
    out = runner.run_fresh_interpreter(PROGRAM, start_method, other).splitlines()
    observe(out[0].replace("second call: ", "a second call: ") if out else "no output")
    assert out == [
        "second call: RuntimeError",
        "its message: context has already been set",
        f"after it: {start_method}",
        f"after get_context: {start_method}",
        f"forced: {other}",
    ]


# A fresh interpreter again. The first call of each pair comes after the default context
# was fixed: by asking which method it has, or by a first set_start_method() of the same
# method.
FIRST_USE = """
import sys
m = __import__(sys.argv[1])
method = sys.argv[2]

def try_set(label, method):
    try:
        m.set_start_method(method)
    except RuntimeError as exc:
        print(label, "RuntimeError:", exc)
    else:
        print(label, "accepted")

m.get_start_method()
try_set("after get_start_method():", method)
m.set_start_method(method, force=True)
try_set("the same method again:", method)
"""


def test_set_start_method_raises_once_anything_has_fixed_the_default(start_method):
    """The default context is fixed by the first thing that needs it, not only by
    set_start_method(): after get_start_method(), even a first set_start_method() raises;
    and a repeat of the method already set raises too."""
    out = runner.run_fresh_interpreter(FIRST_USE, start_method).splitlines()
    assert out == [
        "after get_start_method(): RuntimeError: context has already been set",
        "the same method again: RuntimeError: context has already been set",
    ]
