"""Run a parent program (see :mod:`mpspec.runtime.scenarios`) from a test, and clean up after it.

A :class:`ParentProgram` starts ``python -m mpspec.runtime.scenarios`` with the
implementation and start method under test, optionally below the subreaper
wrapper (:mod:`mpspec.runtime.reaper`). Every process of the run carries a tag in its
environment, so :meth:`ParentProgram.close` finds and kills all of them,
orphans adopted by pid 1 included.
"""

import importlib.util
import os
import subprocess
import sys
import tempfile
import uuid

from mpspec.plugin import proctree
from mpspec.runtime import channel, impl
from mpspec.runtime.bounds import KILL_BOUND, TIMEOUT


def run_fresh_interpreter(program, *args, env=None, timeout=TIMEOUT, flags=()):
    """Run ``python FLAGS -c program IMPL ARGS...`` (IMPL: the implementation under test)
    in a new interpreter, for state that is the whole process's (the default start method,
    the forkserver's preload list, PYTHON_CPU_COUNT, -O, -u); return its standard output.
    A non-zero exit raises CalledProcessError, with the program's stderr."""
    return subprocess.run(
        [sys.executable, *flags, "-c", program, impl.name(), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    ).stdout


def scenarios_path():
    """The file of mpspec.runtime.scenarios, found without importing it."""
    return importlib.util.find_spec("mpspec.runtime.scenarios").origin


class ParentProgram:
    """One run of a parent program; events arrive in ``self.inbox``."""

    def __init__(self, impl_name, start_method):
        self.impl_name = impl_name
        self.start_method = start_method
        self.inbox = channel.Inbox()
        self.tag = uuid.uuid4().hex
        self.proc = None
        # The program's stderr, shared by everything it starts (its resource
        # tracker included): a file, so that no process blocks on a full pipe.
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        self.tracker_warnings = []

    def start(self, scenario, *options, subreaper=False, script=False):
        """Start the program; ``script=True`` runs it by its file's path (``python
        .../scenarios.py``) instead of as a module, so its ``__main__`` has a path."""
        program = [
            "mpspec.runtime.scenarios",
            scenario,
            "--impl",
            self.impl_name,
            "--method",
            self.start_method,
            "--inbox",
            self.inbox.address,
            *options,
        ]
        if script:
            if subreaper:
                raise ValueError("the subreaper wrapper runs programs as modules only")
            argv = [sys.executable, scenarios_path(), *program[1:]]
        elif subreaper:
            # The wrapper forks the program (python -m mpspec.runtime.scenarios ...) itself.
            argv = [sys.executable, "-m", "mpspec.runtime.reaper", "--inbox", self.inbox.address]
            argv += ["--", *program]
        else:
            argv = [sys.executable, "-m", *program]
        env = dict(os.environ)
        env[proctree.TAG_VAR] = self.tag
        # The program imports what this process can import (a stand-in module, say).
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        self.proc = subprocess.Popen(argv, env=env, stdin=subprocess.PIPE, stderr=self.stderr)
        if subreaper:
            ready = self.inbox.expect("reaper-ready")
            self.program_pid = ready["program_pid"]
        else:
            self.program_pid = self.proc.pid
        return self

    def expect(self, event, timeout=TIMEOUT, **fields):
        return self.inbox.expect(event, timeout, **fields)

    def expect_all(self, event, count, timeout=TIMEOUT):
        return self.inbox.expect_all(event, count, timeout)

    def wait(self, timeout=TIMEOUT):
        """Wait (bounded) for the top process to exit; return its exit status."""
        return proctree.wait_popen(self.proc, timeout)

    def finish(self, timeout=TIMEOUT):
        """Let the subreaper wrapper clean up and exit; return every event received."""
        self.proc.stdin.close()
        proctree.wait_popen(self.proc, timeout)
        return self.inbox.drain()

    def close(self):
        """Kill whatever this run left, wherever it was re-parented; return what was left."""
        leftovers = []
        if self.proc is not None:
            self.proc.stdin.close()  # tells the subreaper wrapper to clean up and exit
            try:
                proctree.wait_popen(self.proc, KILL_BOUND)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(KILL_BOUND)
            # Helpers of the program (a forkserver, a resource tracker) end by
            # themselves once their clients are gone; give them a moment.
            proctree.wait_until(
                lambda: not proctree.tagged(self.tag), timeout=KILL_BOUND, interval=0.02
            )
            leftovers = proctree.tagged(self.tag)
            proctree.kill_all(leftovers)
        self.stderr.seek(0)
        text = self.stderr.read().decode(errors="replace")
        self.stderr.close()
        sys.stderr.write(text)  # pytest shows it with the test's captured output
        self.tracker_warnings = [
            line.strip() for line in text.splitlines() if "resource_tracker:" in line
        ]
        self.inbox.close()
        return leftovers
