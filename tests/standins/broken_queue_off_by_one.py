"""Queue limits as a careless implementation might set them: Queue(n) holds n + 1 items,
a maxsize of 0 or less means 100 items, and get(timeout) on an empty queue returns None
instead of raising queue.Empty."""

import multiprocessing.queues
import queue

from _standin import install

BREAKS = ["queue-capacity"]


class LaxQueue(multiprocessing.queues.Queue):
    def get(self, block=True, timeout=None):
        try:
            return super().get(block, timeout)
        except queue.Empty:
            if timeout is None:
                raise
            return None


class OffByOne:
    def Queue(self, maxsize=0):
        return LaxQueue(maxsize + 1 if maxsize > 0 else 100, ctx=self.get_context())


install(globals(), context_mixin=OffByOne)
