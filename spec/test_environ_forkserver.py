"""A child sees the environment its parent has when it starts the child, except under
forkserver.

Python documentation, "Contexts and start methods" (not the tutorial): a
forkserver child is forked from the forkserver, a process started once, the
first time it is needed. Code that sets an environment variable before it starts
a worker, as code written for fork does, finds the variable missing in the
worker under forkserver once the forkserver runs: the forkserver keeps the
environment it started with (measured on CPython 3.13.0, 3.14 and 3.15). The
working folder and sys.path do follow the parent: they travel with every start.
"""

import os
import sys
import uuid

import pytest

from mpspec.runtime.targets import environ_forkserver

pytestmark = pytest.mark.claim("environ-frozen-in-forkserver")


def test_a_variable_set_after_the_first_start_reaches_later_children_but_not_under_forkserver(
    call_in_child, start_method, monkeypatch, observe
):
    """A child started first (which starts the forkserver under forkserver), then a
    variable set in the parent's environment, then a second child: the second child sees
    the variable under fork and spawn, and not under forkserver."""
    name = f"MPSPEC_PROBE_{uuid.uuid4().hex}"
    assert call_in_child(environ_forkserver.send_surroundings, name)["environ"] is None
    monkeypatch.setenv(name, "set by the parent")
    seen = call_in_child(environ_forkserver.send_surroundings, name)["environ"]
    observe("not seen" if seen is None else "seen")
    if start_method == "forkserver":
        assert seen is None
    else:
        assert seen == "set by the parent"


def test_the_working_folder_and_sys_path_reach_the_child_under_every_method(
    call_in_child, monkeypatch, tmp_path
):
    """A child started after the parent changed its working folder and sys.path has the new
    ones, under every start method (the forkserver's own stay as they were)."""
    call_in_child(environ_forkserver.send_surroundings, "HOME")  # the forkserver runs from here on
    extra = tmp_path / "on-sys-path"
    extra.mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(extra))
    seen = call_in_child(environ_forkserver.send_surroundings, "HOME")
    assert os.path.samefile(seen["cwd"], tmp_path)
    assert str(extra) in seen["sys_path"]
    assert str(extra) in sys.path  # (ours, for the record)
