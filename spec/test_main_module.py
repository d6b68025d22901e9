"""How often a script's top level runs, and why it needs the ``__main__`` guard.

Python documentation, "Programming guidelines" (not the tutorial): "safe
importing of main module". Under spawn, and under forkserver, a new process
imports the parent's script as ``__mp_main__``: its top level runs again there,
and a script that starts processes at its top level, with no
``if __name__ == "__main__":`` guard, tries to start them again inside its
child, which fails. Under fork the child is a copy and runs nothing again.
"""

import os
import subprocess
import sys
import textwrap

import pytest

from mpspec.runtime import impl, versions
from mpspec.runtime.bounds import TIMEOUT

# Each script logs every run of its top level ("top PID NAME") and of the
# child's target ("work PID") to $MPSPEC_SCRIPT_LOG.
PRELUDE = """
import os
from mpspec.runtime.bounds import TIMEOUT
impl = __import__(os.environ["MPSPEC_IMPL"])
with open(os.environ["MPSPEC_SCRIPT_LOG"], "a") as log:
    log.write(f"top {os.getpid()} {__name__}\\n")

def work():
    with open(os.environ["MPSPEC_SCRIPT_LOG"], "a") as log:
        log.write(f"work {os.getpid()}\\n")
"""

GUARDED = (
    PRELUDE
    + """
if __name__ == "__main__":
    ctx = impl.get_context(os.environ["MPSPEC_SCRIPT_METHOD"])
    for _ in range(2):
        child = ctx.Process(target=work)
        child.start()
        child.join(TIMEOUT)
        print("exitcode", child.exitcode, flush=True)
"""
)

UNGUARDED = (
    PRELUDE
    + """
ctx = impl.get_context(os.environ["MPSPEC_SCRIPT_METHOD"])
child = ctx.Process(target=work)
child.start()
child.join(TIMEOUT)
print("exitcode", child.exitcode, flush=True)
"""
)


def run_script(source, start_method, tmp_path):
    """Run ``source`` as a script by its path; return (exit status, stdout, stderr, log
    lines)."""
    script, log = tmp_path / "script.py", tmp_path / "script.log"
    script.write_text(textwrap.dedent(source))
    env = dict(
        os.environ,
        MPSPEC_IMPL=impl.name(),
        MPSPEC_SCRIPT_METHOD=start_method,
        MPSPEC_SCRIPT_LOG=str(log),
    )
    done = subprocess.run(
        [sys.executable, str(script)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    lines = log.read_text().splitlines() if log.exists() else []
    return done.returncode, done.stdout, done.stderr, lines


def tops(lines):
    """The module names the script's top level ran under, one per run."""
    return sorted(line.split()[2] for line in lines if line.startswith("top "))


@pytest.mark.claim("main-reimported")
def test_a_guarded_script_s_top_level_runs_again_in_new_processes_but_not_in_fork_children(
    start_method, tmp_path, observe
):
    """A guarded script that starts two children one after the other: its top level runs
    once in the parent (as __main__), and once more in each spawn child (as __mp_main__);
    under forkserver once in the forkserver, for all children, where the forkserver
    imports the script, else once in each child; never in a fork child."""
    status, out, _, lines = run_script(GUARDED, start_method, tmp_path)
    assert status == 0
    assert out.split() == ["exitcode", "0", "exitcode", "0"]
    if start_method == "fork":
        again = 0
    elif start_method == "forkserver" and versions.forkserver_imports_main_once():
        again = 1
    else:
        again = 2
    assert tops(lines) == ["__main__"] + ["__mp_main__"] * again
    observe(["parent only", "parent + forkserver", "parent + each child"][again])


@pytest.mark.claim("main-guard-required")
def test_a_script_that_starts_a_child_at_its_top_level_works_only_under_fork(
    start_method, tmp_path, observe
):
    """A script with no __main__ guard that starts a child at its top level: under fork
    the child runs its target. Under spawn the child runs the top level again, tries to
    start a process before its own start is done, and ends with exit code 1 without
    running the target: what fails there, and is printed on stderr, is the RuntimeError
    that multiprocessing raises for a process started while the current one is still in
    its bootstrapping phase. Under forkserver the same happens in the child where the
    forkserver does not import the script (before 3.13.8/3.14.1, and from 3.15, after the
    forkserver's own failed import); on 3.13.8+ and 3.14 the forkserver's import fails
    with that RuntimeError and takes it down, and start() fails in the parent."""
    status, out, err, lines = run_script(UNGUARDED, start_method, tmp_path)
    worked = [line for line in lines if line.startswith("work ")]
    if start_method == "fork":
        assert (status, out, len(worked)) == (0, "exitcode 0\n", 1)
        assert tops(lines) == ["__main__"]
        observe("the target runs")
        return
    # The same RuntimeError, in whichever process imported the script and tried to start.
    assert "RuntimeError" in err
    assert "bootstrapping phase" in err
    if start_method == "forkserver" and versions.forkserver_dies_when_main_fails():
        assert status != 0  # start() raised: the forkserver is gone
        assert (out, worked) == ("", [])
        assert tops(lines) == ["__main__", "__mp_main__"]  # the forkserver's import
        observe("the forkserver dies; start() raises")
    else:
        assert (status, out, worked) == (0, "exitcode 1\n", [])
        runs = 2 if start_method == "forkserver" and versions.forkserver_imports_main_once() else 1
        assert tops(lines) == ["__main__"] + ["__mp_main__"] * runs
        observe("the child fails, exit code 1")
