"""Bounded waits of mpspec.plugin.proctree against processes we start."""

import subprocess
import sys
import time

import pytest

from mpspec.plugin import proctree

# Exits with status 3 once its standard input is closed.
WAIT_FOR_STDIN = "import sys; sys.stdin.read(); sys.exit(3)"


@pytest.fixture
def waiting_child():
    child = subprocess.Popen([sys.executable, "-c", WAIT_FOR_STDIN], stdin=subprocess.PIPE)
    yield child
    child.kill()
    child.wait(20)


def test_wait_popen_returns_the_exit_status_once_the_process_has_exited(waiting_child):
    waiting_child.stdin.close()
    assert proctree.wait_popen(waiting_child, 20) == 3
    assert waiting_child.returncode == 3  # reaped


def test_wait_popen_raises_timeout_expired_for_a_process_that_runs_on(waiting_child):
    started = time.monotonic()
    with pytest.raises(subprocess.TimeoutExpired):
        proctree.wait_popen(waiting_child, 0.1)
    assert 0.09 <= time.monotonic() - started < 5
    assert waiting_child.poll() is None  # still running, and still ours to reap
    waiting_child.stdin.close()
    assert proctree.wait_popen(waiting_child, 20) == 3


def test_wait_popen_returns_at_once_for_a_process_already_reaped(waiting_child):
    waiting_child.stdin.close()
    waiting_child.wait(20)
    assert proctree.wait_popen(waiting_child, 0) == 3


def test_wait_until_returns_the_predicate_s_last_value():
    assert proctree.wait_until(lambda: "yes", 0) == "yes"
    assert proctree.wait_until(lambda: [], 0.01) == []
