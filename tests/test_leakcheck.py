"""The leak check's /dev/shm rules (mpspec.plugin.leakcheck) against processes we start.

What another live process uses is never a leftover, whatever mount it sees
/dev/shm through, and the check's lock keeps an exclusive test apart.
"""

import os
import shutil
import subprocess
import sys
import textwrap
import threading
import time
import uuid

import pytest

from mpspec.plugin import leakcheck
from mpspec.runtime.bounds import TIMEOUT

pytestmark = pytest.mark.skipif(
    not os.path.isdir(leakcheck.SHM_DIR), reason="n/a: no /dev/shm on this platform"
)

# Creates a file in the directory argv[1] under the name argv[2], maps it (or
# only holds it open, with argv[3] == "open"), says "ready" and waits for its
# standard input to close.
HOLDER = textwrap.dedent(
    """
    import mmap, os, sys
    fd = os.open(os.path.join(sys.argv[1], sys.argv[2]), os.O_RDWR | os.O_CREAT, 0o600)
    os.ftruncate(fd, 4096)
    mapped = None if sys.argv[3] == "open" else mmap.mmap(fd, 4096)
    if mapped is not None:
        os.close(fd)
    print("ready", flush=True)
    sys.stdin.read()
    """
)


@pytest.fixture
def shm_name():
    """A /dev/shm name of this test's own, with /dev/shm's exclusive window held until the
    entry is gone.

    The tests look only at their own entry: another xdist worker's test, or another
    run, may add entries of its own meanwhile. Between the holder's end and the unlink
    below the entry is an orphan, which a claim test's leak check in another run would
    take for its own leftover and unlink: the exclusive window keeps every leak check
    out meanwhile, as ``mpspec_alone`` does for a claim test."""
    name = f"mpspec-test-{uuid.uuid4().hex}"
    with leakcheck.shm_window(exclusive=True):
        yield name
        if os.path.exists(os.path.join(leakcheck.SHM_DIR, name)):
            os.unlink(os.path.join(leakcheck.SHM_DIR, name))


def start_holder(command, *args):
    holder = subprocess.Popen(
        [*command, sys.executable, "-c", HOLDER, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline() == "ready\n"
    return holder


def end(holder):
    holder.stdin.close()
    holder.wait(20)
    holder.stdout.close()


@pytest.mark.parametrize("how", ["mapped", "open"])
def test_an_entry_another_process_maps_or_holds_open_is_not_a_leftover(shm_name, how):
    before = leakcheck.shm_entries()
    holder = start_holder([], leakcheck.SHM_DIR, shm_name, how)
    try:
        # The holder is our child; ``ours`` leaves it out, as it would another run's process.
        assert shm_name not in leakcheck.shm_leftovers(before, ours={os.getpid()})
    finally:
        end(holder)
    assert shm_name in leakcheck.shm_leftovers(before, ours={os.getpid()})


@pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("unshare") is None,
    reason="n/a: a private mount namespace needs root and util-linux's unshare",
)
def test_an_entry_mapped_through_another_mount_of_dev_shm_is_not_a_leftover(shm_name, tmp_path):
    # As a process in a container or chroot does: it sees /dev/shm mounted
    # elsewhere, and its /proc/<pid>/maps names the file by that other path.
    mount = tmp_path / "shm"
    mount.mkdir()
    before = leakcheck.shm_entries()
    holder = start_holder(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c",
         f'mount --bind {leakcheck.SHM_DIR} {mount} && exec "$@"', "sh"],
        str(mount), shm_name, "mapped",
    )  # fmt: skip
    try:
        with open(f"/proc/{holder.pid}/maps") as maps:
            paths = [line.split(maxsplit=5)[-1] for line in maps if shm_name in line]
        assert paths == [f"{mount}/{shm_name}\n"]  # not under /dev/shm
        assert shm_name not in leakcheck.shm_leftovers(before, ours={os.getpid()})
    finally:
        end(holder)
    assert shm_name in leakcheck.shm_leftovers(before, ours={os.getpid()})


def test_a_test_that_makes_an_orphan_keeps_every_leak_check_out_until_it_is_gone(shm_name):
    # Two runs at once once failed this way: one run's claim test unlinked the
    # orphan that a test of this module was about to look for.
    with pytest.raises(TimeoutError), leakcheck.shm_window(timeout=0.1):
        pass  # the shared window a claim test's leak check takes never opens


# The lock tests lock a directory of their own: /dev/shm's lock is shared with
# every other run on the machine, whose windows would make them wait.


def test_a_shared_window_keeps_an_exclusive_one_out_until_it_ends(tmp_path):
    with leakcheck.shm_window(directory=tmp_path), pytest.raises(TimeoutError):  # noqa: SIM117
        with leakcheck.shm_window(exclusive=True, timeout=0.1, directory=tmp_path):
            pass
    with leakcheck.shm_window(exclusive=True, timeout=0.1, directory=tmp_path):
        pass  # free again


def test_an_exclusive_window_keeps_a_shared_one_out_until_it_ends(tmp_path):
    with leakcheck.shm_window(exclusive=True, directory=tmp_path), pytest.raises(TimeoutError):  # noqa: SIM117
        with leakcheck.shm_window(timeout=0.1, directory=tmp_path):
            pass
    with leakcheck.shm_window(timeout=0.1, directory=tmp_path):
        pass  # free again


def test_a_waiting_exclusive_window_keeps_new_shared_ones_out_so_it_is_not_starved(tmp_path):
    # Runs that share /dev/shm keep shared windows open almost all the time:
    # without the turnstile, an exclusive window waited for a gap that might
    # not come within its bound.
    shm = tmp_path / "shm"
    shm.mkdir()
    got = []
    writer = threading.Thread(
        target=lambda: got.append(_window_opens(shm, exclusive=True, timeout=TIMEOUT))
    )
    try:
        with leakcheck.shm_window(directory=shm):  # an open shared window
            writer.start()
            deadline = time.monotonic() + TIMEOUT
            while _window_opens(shm, exclusive=False, timeout=0.01):  # until readers wait
                assert time.monotonic() < deadline, (
                    "new shared windows kept opening while an exclusive one waited"
                )
        # Leaving the shared window lets the writer in, and the reader after it.
    finally:
        writer.join(TIMEOUT)
    assert got == [True]
    assert _window_opens(shm, exclusive=False, timeout=0.2)


def _window_opens(directory, exclusive, timeout):
    try:
        with leakcheck.shm_window(exclusive=exclusive, timeout=timeout, directory=directory):
            return True
    except TimeoutError:
        return False


def test_a_fork_child_does_not_hold_the_lock_after_the_window_it_was_forked_in(tmp_path):
    # A pool worker forked during a test outlives it; its copy of the lock's
    # descriptor would otherwise keep every exclusive window out for good.
    release_r, release_w = os.pipe()
    with leakcheck.shm_window(directory=tmp_path):
        pid = os.fork()
        if pid == 0:
            os.close(release_w)
            os.read(release_r, 1)  # until the test closes its end
            os._exit(0)
    os.close(release_r)
    try:
        with leakcheck.shm_window(exclusive=True, timeout=0.5, directory=tmp_path):
            assert os.waitpid(pid, os.WNOHANG) == (0, 0)  # the child still lives
    finally:
        os.close(release_w)
        os.waitpid(pid, 0)
