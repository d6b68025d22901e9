"""The subreaper wrapper (mpspec.runtime.reaper): it runs a module as a program in a fork,
adopts and reaps the program's orphans, and cleans up when the test is done."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

from mpspec.plugin import proctree
from mpspec.runtime import channel
from mpspec.runtime.bounds import TIMEOUT

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="n/a: child subreapers exist only on Linux"
)

# A program that reports how it runs, then leaves an orphan behind: a grandchild
# that waits until its parent is gone, reports who adopted it, and either exits
# with status 7 or (with "linger") waits to be killed.
PROGRAM = textwrap.dedent(
    """
    import os, sys, time
    from mpspec.runtime import channel
    from mpspec.runtime.bounds import TIMEOUT

    inbox, mode = sys.argv[1], sys.argv[2]
    channel.send(inbox, "program", name=__name__, argv=sys.argv, stdin=sys.stdin.read())
    middle = os.fork()
    if middle == 0:
        middle = os.getpid()
        if os.fork() == 0:
            deadline = time.monotonic() + TIMEOUT
            while os.getppid() == middle and time.monotonic() < deadline:
                time.sleep(0.002)
            channel.send(inbox, "adopted", by=os.getppid())
            if mode == "linger":
                time.sleep(TIMEOUT)
            os._exit(7)
        os._exit(0)
    os.waitpid(middle, 0)
    sys.exit(3)
    """
)


@pytest.fixture
def run_wrapped(tmp_path):
    (tmp_path / "leave_an_orphan.py").write_text(PROGRAM)
    runs = []

    def run(mode):
        inbox = channel.Inbox()
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), *sys.path]))
        argv = [sys.executable, "-m", "mpspec.runtime.reaper", "--inbox", inbox.address]
        argv += ["--", "leave_an_orphan", inbox.address, mode]
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, env=env)
        runs.append((proc, inbox))
        return proc, inbox

    yield run
    for proc, inbox in runs:
        proc.stdin.close()
        proc.wait(TIMEOUT)
        inbox.close()


def test_the_program_runs_as_main_with_its_arguments_and_an_empty_stdin(run_wrapped):
    wrapper, inbox = run_wrapped("exit")
    program = inbox.expect("program")
    ready = inbox.expect("reaper-ready")
    assert program["pid"] == ready["program_pid"]
    assert program["name"] == "__main__"
    assert program["argv"][1:] == [inbox.address, "exit"]
    assert program["stdin"] == ""
    assert proctree.ancestors(program["pid"])[0] == wrapper.pid


def test_an_orphan_is_adopted_and_reaped_by_the_wrapper(run_wrapped):
    wrapper, inbox = run_wrapped("exit")
    program = inbox.expect("reaper-ready")["program_pid"]
    assert inbox.expect("adopted")["by"] == wrapper.pid
    reaped_program = inbox.expect("reaped", child=program)
    assert (reaped_program["program"], reaped_program["exitcode"]) == (True, 3)
    orphan = inbox.expect("reaped", program=False)
    assert (orphan["exitcode"], orphan["signal"]) == (7, None)
    # Nothing is left below it, so the wrapper ends by itself.
    inbox.expect("reaper-done")
    assert wrapper.wait(TIMEOUT) == 0


def test_closing_stdin_kills_and_reaps_what_is_left(run_wrapped):
    wrapper, inbox = run_wrapped("linger")
    inbox.expect("adopted")
    inbox.expect("reaped", program=True)
    wrapper.stdin.close()
    assert wrapper.wait(TIMEOUT) == 0
    inbox.expect("reaper-done")
    orphan = inbox.expect("reaped", program=False)
    assert orphan["signal"] == 9
    assert not proctree.exists(orphan["child"])


# In a fresh interpreter (the wake-up fd is process-wide, and only the main thread may
# set it): make the wake-up pipe, signal ourselves, print what the pipe showed.
WAKEUP = textwrap.dedent(
    """
    import json, os, select, signal
    from mpspec.runtime.bounds import TIMEOUT
    from mpspec.runtime.reaper import wakeup_pipe

    read_end = wakeup_pipe()
    write_end = signal.set_wakeup_fd(-1)
    signal.set_wakeup_fd(write_end)
    signal.signal(signal.SIGUSR1, lambda signum, frame: None)
    before = bool(select.select([read_end], [], [], 0)[0])
    os.kill(os.getpid(), signal.SIGUSR1)
    after = bool(select.select([read_end], [], [], TIMEOUT)[0])
    got = list(os.read(read_end, 16)) if after else []
    empty_read = "would block"  # a blocking read end: reading it empty would hang
    if not os.get_blocking(read_end):
        try:
            os.read(read_end, 16)
            empty_read = "returned"
        except BlockingIOError:
            empty_read = "BlockingIOError"
    print(json.dumps({
        "readable_before": before, "readable_after": after, "bytes": got,
        "empty_read": empty_read, "sigusr1": int(signal.SIGUSR1),
        "blocking": [os.get_blocking(read_end), os.get_blocking(write_end)],
        "inheritable": [os.get_inheritable(read_end), os.get_inheritable(write_end)],
    }))
    """
)


def test_the_wakeup_pipe_gets_a_byte_when_a_signal_arrives_and_never_blocks():
    out = subprocess.run(
        [sys.executable, "-c", WAKEUP], capture_output=True, text=True, check=True, timeout=TIMEOUT
    ).stdout
    seen = json.loads(out)
    assert (seen["readable_before"], seen["readable_after"]) == (False, True)
    assert seen["bytes"] == [seen["sigusr1"]]  # the C-level handler writes the signal number
    assert seen["empty_read"] == "BlockingIOError"
    assert seen["blocking"] == [False, False]
    assert seen["inheritable"] == [False, False]  # close-on-exec: no program started inherits it
