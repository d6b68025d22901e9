"""The spinning-children measurement (mpspec.plugin.workloads), on synthetic samples."""

import pytest

from mpspec.plugin import workloads


def spin(*periods, step=0.01, end=1.0):
    """Samples of a spinner over [0, end] that was on a CPU during ``periods`` only."""
    samples, cpu = [], 0.0
    for k in range(round(end / step) + 1):
        wall = round(k * step, 6)
        samples.append((wall, round(cpu, 6)))
        if any(start <= wall < stop for start, stop in periods):
            cpu += step
    return {"samples": samples}


def test_a_spinner_always_on_a_cpu_runs_for_the_whole_period():
    assert workloads.running_intervals(spin((0.0, 1.0))["samples"]) == [[0.0, 1.0]]


def test_a_spinner_that_waited_has_one_interval_per_turn_on_the_cpu():
    intervals = workloads.running_intervals(spin((0.0, 0.3), (0.6, 0.8))["samples"])
    assert intervals == [[0.0, pytest.approx(0.3)], [pytest.approx(0.6), pytest.approx(0.8)]]


def test_a_sample_whose_cpu_time_grew_less_than_its_wall_time_is_not_running():
    samples = [(0.0, 0.0), (0.1, 0.05), (0.2, 0.15)]  # half, then all of the time
    assert workloads.running_intervals(samples) == [[0.1, 0.2]]


def test_two_spinners_taking_turns_on_one_cpu_never_ran_at_once():
    first, second = spin((0.0, 0.5)), spin((0.5, 1.0))
    assert workloads.simultaneous_running(first, second) == pytest.approx(0.0, abs=1e-9)


def test_two_spinners_on_two_cpus_ran_at_once_for_their_common_time():
    first, second = spin((0.0, 0.7)), spin((0.2, 1.0))
    assert workloads.simultaneous_running(first, second) == pytest.approx(0.5)


def test_overlap_adds_up_over_several_turns():
    first = spin((0.0, 0.2), (0.4, 0.6))
    second = spin((0.1, 0.5))
    assert workloads.simultaneous_running(first, second) == pytest.approx(0.2)


class Receiver:
    """A pipe end as _receive sees it: ``ready`` says whether poll() finds data, ``eof``
    whether recv() then finds the other end closed."""

    def __init__(self, ready, eof=False):
        self.ready, self.eof, self.waited = ready, eof, None

    def poll(self, timeout):
        self.waited = timeout
        return self.ready

    def recv(self):
        if self.eof:
            raise EOFError
        return "ready"


def test_a_child_that_says_nothing_or_closes_its_end_fails_by_assertion():
    """What a spinning child sends is read within a bound; silence, or an end closed
    without a word (a child that never ran as a process of its own), is an assertion
    failure, not a hang or an EOFError."""
    silent = Receiver(ready=False)
    with pytest.raises(AssertionError, match=r"sent nothing within 0\.5s"):
        workloads._receive(silent, 0.5)
    assert silent.waited == 0.5
    with pytest.raises(AssertionError, match="closed without a word"):
        workloads._receive(Receiver(ready=True, eof=True), 0.5)
    assert workloads._receive(Receiver(ready=True), 0.5) == "ready"
