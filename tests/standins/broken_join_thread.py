"""Queue.join_thread() returns at once, before the feeder thread has written anything.

A process that leaves normally still flushes its queues (a finalizer joins the
feeder thread at exit), so only a test whose child leaves with os._exit()
after join_thread() can tell.
"""

import multiprocessing.queues

from _standin import install

BREAKS = ["queue-feeder-thread"]


class BrokenQueue(multiprocessing.queues.Queue):
    def join_thread(self):
        pass


class BrokenQueues:
    def Queue(self, maxsize=0):
        return BrokenQueue(maxsize, ctx=self.get_context())


install(globals(), context_mixin=BrokenQueues)
