"""A descriptor the parent opened is open in a fork child only, unless it is passed.

Python documentation, "Programming guidelines" and os "Inheritance of File
Descriptors" (not the tutorial): a fork child is a copy of its parent, open
files included; spawn and forkserver children are new programs (or forks of the
forkserver) and get only what multiprocessing passes them, such as the
connections and locks given as arguments. Code that lets workers use a socket
or file opened at import time works under fork only.
"""

import os

import pytest

from mpspec.runtime.targets import common, fds_inherited

pytestmark = pytest.mark.claim("fds-inherited-under-fork")


def test_a_descriptor_opened_by_the_parent_is_open_in_a_fork_child_only(
    call_in_child, start_method, tmp_path, observe
):
    """A file the parent opened before start() (non-inheritable, as Python opens files) is
    open on the same file in a fork child; in a spawn or forkserver child that descriptor
    number is closed or open on something else."""
    fd = os.open(tmp_path / "opened-by-the-parent", os.O_CREAT | os.O_RDWR)
    try:
        ours = os.fstat(fd)
        seen = call_in_child(fds_inherited.send_file_identity, fd)
    finally:
        os.close(fd)
    observe("open on it" if seen == (ours.st_dev, ours.st_ino) else "not open on it")
    if start_method == "fork":
        assert seen == (ours.st_dev, ours.st_ino)
    else:
        assert seen != (ours.st_dev, ours.st_ino)


def test_an_inheritable_descriptor_reaches_a_fork_child_only(
    call_in_child, start_method, tmp_path, observe
):
    """Not Python's non-inheritable default is what keeps a descriptor from spawn and
    forkserver children: made inheritable (os.set_inheritable), a descriptor the parent
    opened is still open on the same file in a fork child only. Spawn and forkserver
    children are started with every other descriptor closed, but they do have descriptors
    0 to 2 open."""
    fd = os.open(tmp_path / "inheritable", os.O_CREAT | os.O_RDWR)
    try:
        os.set_inheritable(fd, True)
        ours = os.fstat(fd)
        *standard, seen = call_in_child(fds_inherited.send_file_identities, [0, 1, 2, fd])
    finally:
        os.close(fd)
    observe("open on it" if seen == (ours.st_dev, ours.st_ino) else "not open on it")
    identity = (ours.st_dev, ours.st_ino)
    if start_method == "fork":
        assert seen == identity
    else:
        assert seen != identity
    assert None not in standard


def test_a_connection_passed_as_an_argument_works_in_every_child(call_in_child):
    """A connection given to the child as an argument is usable there under every method:
    multiprocessing passes it (call_in_child's own reply travels that way)."""
    assert call_in_child(common.send, "through the passed connection") == (
        "through the passed connection"
    )
