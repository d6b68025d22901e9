"""Pool() without a size starts one worker more than the CPUs this process may use, and
takes no notice of PYTHON_CPU_COUNT or -X cpu_count."""

import multiprocessing.pool
import os

from _standin import install

BREAKS = ["pool-defaults-to-cores"]


class DeafPool(multiprocessing.pool.Pool):
    def __init__(self, processes=None, *args, **kwargs):
        super().__init__(processes or len(os.sched_getaffinity(0)) + 1, *args, **kwargs)


class Deaf:
    def Pool(self, processes=None, initializer=None, initargs=(), maxtasksperchild=None):
        return DeafPool(
            processes, initializer, initargs, maxtasksperchild, context=self.get_context()
        )


install(globals(), context_mixin=Deaf)
