"""terminate() kills the process and all its descendants."""

import contextlib
import signal

import psutil
from _standin import install

BREAKS = ["terminate-orphans-descendants"]


class TerminateTree:
    def terminate(self):
        with contextlib.suppress(psutil.NoSuchProcess):
            for child in psutil.Process(self.pid).children(recursive=True):
                child.send_signal(signal.SIGTERM)
        super().terminate()


install(globals(), process_mixin=TerminateTree)
