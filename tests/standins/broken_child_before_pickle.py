"""start() creates the child before it pickles what the child needs: under spawn and
forkserver a Process whose target, arguments or attributes pickle refuses still makes a
process, which ends at once when start() raises (it is reaped at the next start() or at
exit), instead of failing before any process exists."""

import atexit
import contextlib
import os

from _standin import install

BREAKS = ["target-must-pickle", "args-must-pickle", "process-subclass-picklable"]

_strays = []


def _reap():
    while _strays:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(_strays.pop(), 0)


atexit.register(_reap)


class ChildFirst:
    def start(self):
        _reap()
        if self._start_method not in ("spawn", "forkserver"):
            return super().start()
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the early child: waits for its orders, which never come
            os.close(write_end)
            os.read(read_end, 1)
            os._exit(0)
        os.close(read_end)
        try:
            super().start()
        except BaseException:
            os.close(write_end)  # the early child ends, and is left unreaped for now
            _strays.append(pid)
            raise
        os.close(write_end)
        os.waitpid(pid, 0)


install(globals(), process_mixin=ChildFirst)
