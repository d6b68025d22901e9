"""A child cannot read its parent's standard input: multiprocessing gives it an empty one.

Python documentation, "Programming guidelines" (not the tutorial): a child's
sys.stdin is os.devnull, whatever the parent's is, under every start method
(multiprocessing closes it before the target runs, so that two processes never
read one input). A worker that calls input() gets EOFError at once.
"""

import os

import pytest

from mpspec.runtime.targets import stdin_children

pytestmark = pytest.mark.claim("stdin-closed-in-children")


@pytest.fixture
def parent_stdin_with_a_line():
    """Our descriptor 0, which children inherit, is a pipe holding a line for the duration
    (under pytest it is os.devnull otherwise, which would hide the difference)."""
    read_end, write_end = os.pipe()
    os.write(write_end, b"typed into the parent\n")
    os.close(write_end)
    saved = os.dup(0)
    os.dup2(read_end, 0)  # inheritable, as a real stdin is
    os.close(read_end)
    try:
        yield
    finally:
        os.dup2(saved, 0)
        os.close(saved)


def test_input_in_a_child_raises_eoferror_from_an_empty_stdin(
    call_in_child, parent_stdin_with_a_line
):
    """With a line waiting on the parent's standard input, a child that calls input() gets
    EOFError at once, not the line: its sys.stdin is os.devnull."""
    seen = call_in_child(stdin_children.call_input)
    assert seen == {"input": "EOFError", "stdin_is_devnull": True}
