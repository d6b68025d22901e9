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
except RuntimeError:
    print("second call: RuntimeError")
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
    """After set_start_method(m), a second call with another method raises RuntimeError and
    leaves m; get_context(other) leaves m too; only force=True switches."""
    other = "spawn" if start_method != "spawn" else "fork"
    out = runner.run_fresh_interpreter(PROGRAM, start_method, other).splitlines()
    observe(out[0].replace("second call: ", "a second call: ") if out else "no output")
    assert out == [
        "second call: RuntimeError",
        f"after it: {start_method}",
        f"after get_context: {start_method}",
        f"forced: {other}",
    ]
