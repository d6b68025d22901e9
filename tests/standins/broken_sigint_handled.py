"""Every child gives SIGINT Python's handler (KeyboardInterrupt) before it runs its
target, as if it had been started from a terminal: a child whose parent started with
SIGINT ignored (a background job of a non-interactive shell) no longer ignores it, and
interrupt() ends it."""

import signal

from _standin import install

BREAKS = ["exit-codes"]


class SigintHandledProcess:
    def run(self):
        signal.signal(signal.SIGINT, signal.default_int_handler)
        super().run()


install(globals(), process_mixin=SigintHandledProcess)
