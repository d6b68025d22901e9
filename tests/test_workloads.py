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


def test_a_spin_s_periods_span_it_and_add_up_to_the_cpu_time_it_used():
    periods = []
    cpu_before = time.process_time()
    began = time.monotonic()
    children._spin_until(began + 0.1, periods)
    cpu = time.process_time() - cpu_before
    assert periods[0][0] == pytest.approx(began, abs=0.01)
    assert periods[-1][1] >= began + 0.1
    # On a busy machine the spin loses its CPU now and then; the periods leave
    # those stretches out, as the CPU time does.
    on_cpu = workloads.running_within(periods, 0, float("inf"))
    assert abs(on_cpu - cpu) <= 0.3 * cpu + 0.01


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
