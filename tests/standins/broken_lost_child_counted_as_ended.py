"""A Process whose child can no longer be waited for (the kernel reaped it, as it does
for a parent that ignores SIGCHLD) counts that child as ended with exit code 0, instead
of going on reporting it alive with no exit code."""

import multiprocessing.popen_fork
import os

from _standin import install

BREAKS = ["zombie-without-wait"]

install(globals())


def _poll_counting_a_lost_child_as_ended(self, flag=os.WNOHANG):
    if self.returncode is None:
        try:
            pid, status = os.waitpid(self.pid, flag)
        except ChildProcessError:
            self.returncode = 0  # gone, and nobody can say how: call it a success
            return self.returncode
        except OSError:
            return None
        if pid == self.pid:
            self.returncode = os.waitstatus_to_exitcode(status)
    return self.returncode


def _patch():
    # In a function: the harness reads a stand-in's top-level assignments by their names.
    multiprocessing.popen_fork.Popen.poll = _poll_counting_a_lost_child_as_ended


_patch()
