"""The parent reaps each child as soon as it exits, so an exited child is never left as a
zombie.

A background thread reaps the child when it exits; the Process's sentinel becomes ready
only after that, so whoever waits on the sentinel finds the child already reaped, on every
run, whatever the scheduling."""

import os
import threading

from _standin import install

BREAKS = ["zombie-without-wait"]


class ReapAtOnce:
    def start(self):
        super().start()
        self._reaped_r, self._reaped_w = os.pipe()
        threading.Thread(target=self._reap_when_exited, daemon=True).start()

    @property
    def sentinel(self):
        return self._reaped_r

    def _reap_when_exited(self):
        # The real sentinel fires when the child closes its end, which can be a moment
        # before the kernel lets it be reaped: wait() blocks until the reaping is done.
        self._popen.wait(60)
        os.write(self._reaped_w, b"x")  # only now does the sentinel say "ended"


install(globals(), process_mixin=ReapAtOnce)
