"""Leaving ``with Pool()`` waits for outstanding tasks (close and join) instead
of terminating them."""

import multiprocessing.pool

from _standin import install

BREAKS = ["pool-get-timeout", "pool-context-terminates"]


class WaitingPool(multiprocessing.pool.Pool):
    def __exit__(self, *exc_info):
        self.close()
        self.join()


class PoolWaitsOnExit:
    def Pool(self, processes=None, initializer=None, initargs=(), maxtasksperchild=None):
        return WaitingPool(
            processes, initializer, initargs, maxtasksperchild, context=self.get_context()
        )


install(globals(), context_mixin=PoolWaitsOnExit)
