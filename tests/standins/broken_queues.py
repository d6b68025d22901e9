"""Queue.put() delivers every item twice, and a process never waits for its
queue's feeder thread at exit (as if cancel_join_thread() had been called)."""

import multiprocessing.queues

from _standin import install

BREAKS = ["queue-process-safe", "queue-join-before-get", "queue-feeder-thread"]


class BrokenQueue(multiprocessing.queues.Queue):
    def put(self, obj, block=True, timeout=None):
        super().put(obj, block, timeout)
        if obj is not None:
            super().put(obj, block, timeout)

    def _reset(self, *args, **kwargs):
        super()._reset(*args, **kwargs)
        self._joincancelled = True


class BrokenQueues:
    def Queue(self, maxsize=0):
        return BrokenQueue(maxsize, ctx=self.get_context())


install(globals(), context_mixin=BrokenQueues)
