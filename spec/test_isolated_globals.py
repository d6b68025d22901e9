"""A child's change to a module global, seen from the parent, per start method;
threads, by contrast.

Tutorial, section "防止访问冲突与共享状态": every process has its own memory, so
incrementing a global list in the child leaves the parent's unchanged. What a
child starts from differs by start method: the catalogue (spec/claims.toml,
claims isolated-globals and threads-share-globals) has the verdicts.
"""

import pytest

from mpspec.runtime import versions
from mpspec.runtime.targets import isolated_globals


@pytest.mark.claim("isolated-globals")
def test_child_change_to_a_global_is_invisible_to_the_parent(call_in_child):
    """A child that changes a module global sees its own change; the parent's global keeps
    its value."""
    assert (
        call_in_child(isolated_globals.set_state, "changed by the child") == "changed by the child"
    )
    assert isolated_globals.STATE == "import-time"


@pytest.mark.claim("isolated-globals")
def test_child_sees_a_later_parent_change_only_under_fork(call_in_child, start_method, monkeypatch):
    """A change the parent made to a global before start() is in the child under fork
    (memory copied), but not under spawn or forkserver (module re-imported)."""
    monkeypatch.setattr(isolated_globals, "STATE", "changed by the parent")
    seen = call_in_child(isolated_globals.send_state)
    if start_method == "fork":
        assert seen == "changed by the parent"
    else:
        assert seen == "import-time"


@pytest.mark.claim("isolated-globals")
def test_a_script_s_import_time_globals_in_a_child_come_from_where_its_main_was_imported(
    parent_program, start_method
):
    """A script draws a random token at import time and starts three children one after
    another. A fork child has the parent's token; a spawn child imports the script afresh
    and draws its own; a forkserver child has the token the forkserver drew when it imported
    the script, the same for every child, where the forkserver does that, and its own
    otherwise."""
    program = parent_program("main-token", script=True)
    seen = {event["pid"]: event["token"] for event in program.expect_all("main-token", 4)}
    parent = seen.pop(program.program_pid)
    tokens = list(seen.values())
    if start_method == "fork":
        assert tokens == [parent] * 3
    elif start_method == "forkserver" and versions.forkserver_imports_main_once():
        assert len(set(tokens)) == 1
        assert parent not in tokens
    else:
        assert len({parent, *tokens}) == 4


@pytest.mark.claim("threads-share-globals")
def test_a_thread_s_change_to_a_global_is_seen_by_the_other_threads(call_in_child):
    # In a child of each start method, so the test process's globals stay untouched.
    """Within one process, a global changed by a thread is seen by the other threads."""
    assert call_in_child(isolated_globals.change_global_in_a_thread, "set by a thread") == (
        "set by a thread"
    )
