"""Queue.put() writes the item to the pipe itself and returns only once it is written: no
feeder thread, so nothing put is ever lost at exit, and a put() blocks while the pipe is
full."""

import multiprocessing.queues
from multiprocessing.reduction import ForkingPickler

from _standin import install

BREAKS = ["queue-feeder-thread"]


class WritesAtOnce(multiprocessing.queues.Queue):
    def put(self, obj, block=True, timeout=None):
        if self._closed:
            raise ValueError(f"Queue {self!r} is closed")
        if not self._sem.acquire(block, timeout):
            raise multiprocessing.queues.Full
        payload = ForkingPickler.dumps(obj)
        if self._wlock is None:
            self._writer.send_bytes(payload)
        else:
            with self._wlock:
                self._writer.send_bytes(payload)


class NoFeeder:
    def Queue(self, maxsize=0):
        return WritesAtOnce(maxsize, ctx=self.get_context())


install(globals(), context_mixin=NoFeeder)
