"""A child's sys.stdin is empty, but its descriptor 0 is still its parent's standard input.

Python documentation, "Programming guidelines" (not the tutorial): a child's
sys.stdin is os.devnull, whatever the parent's is, under every start method
(multiprocessing closes the sys.stdin object before the target runs). A worker
that calls input() gets EOFError at once. Only the Python object is replaced:
file descriptor 0 stays the stdin the child inherited, and a child that reads it
with os.read(0, ...) reads the parent's input.
"""

import os
import subprocess
import sys

import pytest

from mpspec.runtime import impl
from mpspec.runtime.bounds import TIMEOUT
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


# A fresh interpreter whose stdin is the test's pipe: under forkserver, which descriptor
# 0 a child has depends on when the forkserver started, so the forkserver must be new.
STDIN_PROGRAM = """
import os
import sys
from mpspec.runtime.bounds import TIMEOUT
from mpspec.runtime.targets import stdin_children

def child_reads_descriptor_0(ctx):
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=stdin_children.read_descriptor_0, args=(sender,))
    child.start()
    sender.close()
    seen = receiver.recv() if receiver.poll(TIMEOUT) else {"fd0": "nothing", "read": None}
    child.join(TIMEOUT)
    return seen

if __name__ == "__main__":
    ctx = __import__(sys.argv[1]).get_context(sys.argv[2])
    names = {stdin_children.file_identity(0): "the program's stdin"}
    seen = child_reads_descriptor_0(ctx)
    print(names.get(seen["fd0"], "another file"), seen["read"], seen["stdin_is_devnull"])
    # Now another pipe, holding another line, becomes our descriptor 0.
    read_end, write_end = os.pipe()
    os.write(write_end, b"second stdin")
    os.close(write_end)
    os.dup2(read_end, 0)
    os.close(read_end)
    names[stdin_children.file_identity(0)] = "the new stdin"
    seen = child_reads_descriptor_0(ctx)
    print(names.get(seen["fd0"], "another file"), seen["read"], seen["stdin_is_devnull"])
"""


def test_a_child_s_descriptor_0_is_still_its_parent_s_stdin(start_method, observe):
    """Only the sys.stdin object is replaced: descriptor 0 of a child is the stdin it
    inherited, and os.read(0, ...) there returns the line waiting on the parent's stdin,
    under every start method. A fork or spawn child inherits the parent's descriptor 0 of
    the moment; a forkserver child inherits the forkserver's, which is the parent's of the
    moment the forkserver started: after the parent puts another pipe on its descriptor 0,
    a forkserver child still has the first one (emptied by the first child: it reads b'')."""
    result = subprocess.run(
        [sys.executable, "-c", STDIN_PROGRAM, impl.name(), start_method],
        input=b"typed into the parent\n",
        capture_output=True,
        timeout=TIMEOUT,
        check=True,
    )
    first, second = result.stdout.decode().splitlines()
    assert first == "the program's stdin b'typed into the parent\\n' True"
    if start_method == "forkserver":
        assert second == "the program's stdin b'' True"
        observe("the parent's stdin when the forkserver started")
    else:
        assert second == "the new stdin b'second stdin' True"
        observe("the parent's stdin when the child started")
