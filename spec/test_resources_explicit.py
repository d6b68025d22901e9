"""A lock made at import time is shared by fork children only; passed as an argument, it is
shared under every method.

Python documentation, "Programming guidelines" ("explicitly pass resources to
child processes", not the tutorial): a spawn or forkserver child imports the
modules it needs afresh, so a Lock or Queue that a module makes at import time
is a new, separate one in each such child; only a fork child has the parent's.
"""

import pytest

from mpspec.runtime.targets import resources_explicit, resources_explicit_lock

pytestmark = pytest.mark.claim("resources-pass-explicitly")


@pytest.fixture
def held_import_time_lock():
    """The import-time lock, held by us for the test's duration."""
    assert resources_explicit_lock.LOCK.acquire(False)  # nothing else takes it: never waits
    yield resources_explicit_lock.LOCK
    resources_explicit_lock.LOCK.release()


def test_a_lock_made_at_import_is_the_parent_s_only_in_a_fork_child(
    call_in_child, start_method, held_import_time_lock, observe
):
    """While we hold a module's import-time lock: a fork child finds that lock held (it is
    ours); a spawn or forkserver child finds a free one (its own import made it). The same
    lock given as an argument is held in every child."""
    found_at_import_free, passed_free = call_in_child(
        resources_explicit.try_import_time_lock, held_import_time_lock
    )
    observe("its own lock" if found_at_import_free else "the parent's lock")
    assert found_at_import_free is (start_method != "fork")
    assert passed_free is False
