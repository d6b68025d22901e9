"""A Lock made by the fork context can be sent to a spawn or forkserver child: the fork
context makes its locks as the spawn context does (a named semaphore, not unlinked at
once), so start() sends it without a word and the child shares it, where multiprocessing
refuses it (RuntimeError in start(), from Python 3.11)."""

import multiprocessing
import multiprocessing.synchronize

from _standin import install

BREAKS = ["resources-pass-explicitly"]


class ForkLockTravels:
    def Lock(self):
        if self.get_start_method() == "fork":
            return multiprocessing.synchronize.Lock(ctx=multiprocessing.get_context("spawn"))
        return super().Lock()


install(globals(), context_mixin=ForkLockTravels)
