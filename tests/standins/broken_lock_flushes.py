"""Releasing a Lock first flushes sys.stdout, so what a process printed under the lock
is written out while it still holds the lock, whatever stdout is."""

import multiprocessing.synchronize
import sys

from _standin import install

BREAKS = ["lock-serializes-output"]


class FlushingLock(multiprocessing.synchronize.Lock):
    # SemLock binds release() on each instance (in __init__ and when unpickled).
    def _make_methods(self):
        super()._make_methods()
        release = self._semlock.release

        def flush_then_release():
            sys.stdout.flush()
            release()

        self.release = flush_then_release

    def __exit__(self, *exc_info):
        self.release()


class Flushing:
    def Lock(self):
        return FlushingLock(ctx=self.get_context())


install(globals(), context_mixin=Flushing)
