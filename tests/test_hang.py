"""A deliberately hanging claim test, kept out of the default run.

Run it with ``pytest -m hang tests/test_hang.py``: under each start method it
must fail at its own bound (pytest-timeout, 2 s), say where it hung, and leave
no process behind. tests/test_plugin.py runs it that way and checks all three.
"""

import time

import pytest

from mpspec.plugin import proctree
from mpspec.runtime.bounds import TIMEOUT

pytestmark = [pytest.mark.hang, pytest.mark.claim("join-waits")]


# The bound covers the test function only: its set-up may wait for /dev/shm's lock
# while another run's test holds it exclusively, and that is no hang.
@pytest.mark.timeout(2, func_only=True)
def test_an_unbounded_join_on_a_child_that_never_ends_is_stopped_by_the_timeout(ctx):
    """join() without a timeout, on a child that sleeps for a minute, blocks until
    pytest-timeout fails the test; the finally clause still removes the child."""
    proc = ctx.Process(target=time.sleep, args=(60,))
    proc.start()
    try:
        proc.join()  # deliberately unbounded: this is the hang
    finally:
        proctree.stop(proc, TIMEOUT)
