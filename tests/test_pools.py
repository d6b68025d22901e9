"""The shared slot pool (mpspec.plugin.pools): tasks the test releases, and independence."""

import pytest

from mpspec.plugin import pools
from mpspec.runtime.bounds import TIMEOUT


@pytest.fixture
def slot_pool(mp_impl):
    shared = pools.SlotPool(mp_impl.get_context("fork"), workers=1, slots=2)
    yield shared
    shared.close()


def test_a_held_slot_finishes_only_when_released(slot_pool):
    result = slot_pool.hold(0)
    assert slot_pool.started[0].is_set()
    assert not result.ready()
    slot_pool.finish(0)
    x, _, _, released = result.get(TIMEOUT)
    assert (x, released) == (0, True)


def test_a_task_of_an_earlier_generation_returns_at_once_and_sets_no_event(slot_pool):
    stale = slot_pool.task()
    assert slot_pool.reset()
    x, _, _, released = slot_pool.pool.apply_async(stale, (1,)).get(TIMEOUT)
    assert (x, released) == (1, False)
    assert not slot_pool.started[1].is_set()
    assert not slot_pool.done[1].is_set()


def test_reset_clears_every_event(slot_pool):
    for event in (slot_pool.release[0], slot_pool.started[1], slot_pool.done[1]):
        event.set()
    assert slot_pool.reset()
    events = (*slot_pool.started, *slot_pool.release, *slot_pool.done)
    assert not any(event.is_set() for event in events)


def test_settle_releases_running_tasks_and_waits_for_them(slot_pool):
    result = slot_pool.hold(1)
    assert slot_pool.settle()
    assert slot_pool.done[1].is_set()
    assert result.get(TIMEOUT)[3] is True


def test_settle_is_false_when_a_started_task_does_not_finish(slot_pool):
    slot_pool.started[0].set()  # as a task that never gets to its end would leave it
    assert slot_pool.settle(timeout=0.05) is False
    slot_pool.done[0].set()
    assert slot_pool.settle(timeout=0.05) is True


def test_a_test_that_leaves_a_task_running_is_reported(slot_pool):
    handed_over = slot_pool.for_one_test(timeout=0.05)
    with pytest.raises(RuntimeError, match="still running after it"), handed_over:
        slot_pool.started[0].set()  # as a task that never reaches its end leaves it
    slot_pool.done[0].set()
