"""The on-CPU measurement behind the time-sharing and multi-core claims."""

import signal
import time

import pytest

from mpspec import children, workloads


def report(*periods):
    return {"periods": list(periods)}


def test_simultaneous_running_adds_up_the_overlaps_of_two_period_lists():
    first = report((0.0, 1.0), (2.0, 3.0))
    second = report((0.5, 2.5), (2.8, 4.0))
    assert workloads.simultaneous_running(first, second) == pytest.approx(0.5 + 0.5 + 0.2)
    assert workloads.simultaneous_running(second, first) == pytest.approx(1.2)


def test_periods_that_take_turns_do_not_overlap():
    first = report((0.0, 1.0), (2.0, 3.0))
    second = report((1.0, 2.0), (3.0, 4.0))
    assert workloads.simultaneous_running(first, second) == 0


def test_running_within_counts_only_the_time_inside_the_window():
    periods = [(0.0, 1.0), (2.0, 3.0), (5.0, 6.0)]
    assert workloads.running_within(periods, 0.5, 2.5) == pytest.approx(1.0)
    assert workloads.running_within(periods, 3.5, 4.5) == 0


def test_an_uninterrupted_spin_is_one_period_spanning_it():
    periods = []
    began = time.monotonic()
    children._spin_until(began + 0.05, periods)
    assert periods[0][0] == pytest.approx(began, abs=0.01)
    assert periods[-1][1] >= began + 0.05
    # A spin may be preempted now and then, but it was on a CPU nearly all the time.
    assert workloads.running_within(periods, 0, float("inf")) > 0.03


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="n/a: needs setitimer")
def test_a_pause_longer_than_the_gap_splits_the_spin_into_two_periods():
    # A signal handler that sleeps stands in for losing the CPU.
    def pause(signum, frame):
        time.sleep(children.OFF_CPU_GAP * 20)

    previous = signal.signal(signal.SIGALRM, pause)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.02)
        periods = []
        began = time.monotonic()
        children._spin_until(began + 0.06, periods)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    gaps = [b[0] - a[1] for a, b in zip(periods, periods[1:])]
    assert any(gap >= children.OFF_CPU_GAP * 20 for gap in gaps)
