"""Pool() runs its tasks in threads of the calling process (ThreadPool)."""

import multiprocessing.pool

from _standin import install

BREAKS = ["pool-apply-async", "pool-workers-distinct"]


class ThreadPools:
    def Pool(self, processes=None, initializer=None, initargs=(), maxtasksperchild=None):
        return multiprocessing.pool.ThreadPool(processes, initializer, initargs)


install(globals(), context_mixin=ThreadPools)
