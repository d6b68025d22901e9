"""Every child asks the kernel to SIGKILL it when its parent dies
(PR_SET_PDEATHSIG), so a child is never orphaned: it dies instead, daemonic children
of a parent that skipped its exit handlers too."""

import ctypes
import signal

from _standin import install

BREAKS = ["orphan-adoption", "daemon-terminated-on-exit"]
PR_SET_PDEATHSIG = 1


class DieWithParent:
    def run(self):
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        super().run()


install(globals(), process_mixin=DieWithParent)
