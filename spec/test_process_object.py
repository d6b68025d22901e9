"""What Process(...) runs, where, under which name, with which signature.

Tutorial, section "multiprocessing.Process 对象": a Process runs its target with
the given arguments in a child; its example prints getpid/getppid and notes that
only Unix has them; it gives the constructor's signature, with group always
None; unnamed processes are Process-1, Process-2, ... Verdicts, and what rests
on the Python documentation rather than a run: spec/claims.toml.
"""

import inspect
import os
import re
import subprocess
import sys

import psutil
import pytest

from mpspec.plugin import proctree
from mpspec.runtime import impl
from mpspec.runtime.bounds import TIMEOUT
from mpspec.runtime.targets import common, process_object


@pytest.mark.claim("child-runs-target")
def test_target_runs_with_its_args_and_kwargs_in_another_process(call_in_child):
    """The target runs in a process with another pid and receives the positional and keyword
    arguments given to Process()."""
    seen = call_in_child(process_object.send_call, 1, "two", three=3)
    assert seen["args"] == (1, "two")
    assert seen["kwargs"] == {"three": 3}
    assert seen["pid"] != os.getpid()


@pytest.mark.claim("child-runs-target")
def test_child_s_parent_is_the_caller_of_start_except_under_forkserver(call_in_child, start_method):
    """The child's parent pid is the process that called start(), except under forkserver,
    where it is the forkserver's."""
    seen = call_in_child(process_object.send_call)
    if start_method == "forkserver":
        assert is_our_forkserver(seen["ppid"])
    else:
        assert seen["ppid"] == os.getpid()


def is_our_forkserver(pid):
    """Whether ``pid`` is the forkserver this process started (a child of ours running the
    implementation's forkserver main)."""
    server = psutil.Process(pid)
    return server.ppid() == os.getpid() and proctree.is_infrastructure(server)


@pytest.mark.claim("getppid-portable")
def test_getpid_and_getppid_work_in_a_child_on_this_unix_like_system(call_in_child):
    """os.getpid() and os.getppid() both work in a child on this Unix-like system: the
    child's own pid, and its parent's (ours, or the forkserver's)."""
    seen = call_in_child(process_object.send_call)
    assert seen["pid"] not in (os.getpid(), seen["ppid"])
    assert seen["ppid"] == os.getpid() or is_our_forkserver(seen["ppid"])


@pytest.mark.claim("getppid-portable")
def test_getppid_exists_on_windows_too(call_in_child):
    """On Windows, os.getppid() exists and works in a child too (observable only on
    Windows)."""
    seen = call_in_child(process_object.send_call)
    assert seen["ppid"] > 0


@pytest.mark.claim("process-constructor")
def test_constructor_signature_has_a_keyword_only_daemon(ctx):
    """Process's signature is (group, target, name, args, kwargs, *, daemon), with None,
    None, None, (), {} and None as defaults; the kwargs default is None from CPython 3.14.1
    (3.13 keeps {}). Either way a Process made without kwargs calls its target with none."""
    parameters = inspect.signature(ctx.Process).parameters
    assert list(parameters) == ["group", "target", "name", "args", "kwargs", "daemon"]
    assert parameters["daemon"].kind is inspect.Parameter.KEYWORD_ONLY
    assert [parameters[p].default for p in ("group", "target", "name", "args", "daemon")] == [
        None,
        None,
        None,
        (),
        None,
    ]
    assert parameters["kwargs"].default == expected_kwargs_default()
    assert ctx.Process(target=common.do_nothing)._kwargs == {}


def expected_kwargs_default():
    """``{}`` until CPython 3.14.1 made it None (gh-138813: 3.14's NEWS lists it under
    "What's New in Python 3.14.1 final", so 3.14.0 still has ``{}``). 3.13 kept {}:
    3.13.18's Lib/multiprocessing/process.py still has ``kwargs={}``, and its NEWS file
    does not name gh-138813. Run here: {} on 3.9-3.13.0 and on 3.13.18
    (tools/unstable-root tox -e py313-unstable), None on 3.14.10 and 3.15.2."""
    if sys.implementation.name == "cpython" and sys.version_info >= (3, 14, 1):
        return None
    return {}


@pytest.mark.claim("process-constructor")
def test_a_group_other_than_none_raises_assertion_error(ctx):
    """Passing a group other than None to Process() raises AssertionError."""
    with pytest.raises(AssertionError):
        ctx.Process(group="a group")


@pytest.mark.claim("process-constructor")
@pytest.mark.parametrize("optimize", [False, True], ids=["plain", "python -O"])
def test_python_o_removes_the_group_check(start_method, optimize):
    """The group check is an assert: under python -O a group other than None is accepted."""
    program = (
        "import sys; m = __import__(sys.argv[1]); ctx = m.get_context(sys.argv[2])\n"
        "try:\n    ctx.Process(group='a group')\nexcept AssertionError:\n    print('rejected')\n"
        "else:\n    print('accepted')\n"
    )
    flags = ["-O"] if optimize else []
    found = subprocess.run(
        [sys.executable, *flags, "-c", program, impl.name(), start_method],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=True,
    ).stdout.strip()
    assert found == ("accepted" if optimize else "rejected")


def number(name):
    return int(re.fullmatch(r"[A-Za-z]+-(\d+)", name).group(1))


@pytest.mark.claim("default-names")
def test_process_objects_are_numbered_from_one_counter_per_process(mp_impl, ctx):
    """Unnamed Process objects made in one process get consecutive numbers from one counter,
    whichever context made them."""
    first, second, third = mp_impl.Process(), mp_impl.Process(), ctx.Process()
    assert re.fullmatch(r"Process-\d+", first.name)
    assert number(second.name) == number(first.name) + 1
    assert number(third.name) == number(first.name) + 2  # contexts share the counter


@pytest.mark.claim("default-names")
def test_context_process_objects_are_named_after_their_class(ctx, start_method):
    """A context's Process objects are named after their class (ForkProcess-N,
    SpawnProcess-N, ForkServerProcess-N), not Process-N."""
    expected = {"fork": "ForkProcess", "spawn": "SpawnProcess", "forkserver": "ForkServerProcess"}
    proc = ctx.Process()
    assert proc.name.split("-")[0] == expected[start_method]


@pytest.mark.claim("default-names")
def test_a_child_s_own_processes_extend_its_number(call_in_child, start_method):
    """A process created in a child carries the child's number as a prefix (Process-1:1
    style), not a fresh top-level number."""
    seen = call_in_child(process_object.send_names, start_method)
    own = number(seen["own"])
    assert re.fullmatch(rf"Process-{own}:1", seen["plain"])
    assert re.fullmatch(rf"[A-Za-z]+Process-{own}:2", seen["from_context"])
