"""Pool() starts one worker more than the CPUs; map() returns results in
completion order and leaves out the last input; imap_unordered() yields in input order."""

import multiprocessing.pool
import os

from _standin import install

BREAKS = ["pool-defaults-to-cores", "pool-map-ordered", "pool-imap-unordered"]


class ReorderingPool(multiprocessing.pool.Pool):
    def __init__(self, processes=None, *args, **kwargs):
        super().__init__(processes or os.cpu_count() + 1, *args, **kwargs)

    def map(self, func, iterable, chunksize=None):
        return list(super().imap_unordered(func, list(iterable)[:-1]))  # in completion order

    def map_async(self, func, iterable, chunksize=None, callback=None, error_callback=None):
        inputs = list(iterable)[:-1]
        done = list(super().imap_unordered(func, inputs))  # in completion order
        return self.apply_async(list, (done,))

    def imap_unordered(self, func, iterable, chunksize=1):
        return self.imap(func, iterable, chunksize)


class Reordering:
    def Pool(self, processes=None, initializer=None, initargs=(), maxtasksperchild=None):
        return ReorderingPool(
            processes, initializer, initargs, maxtasksperchild, context=self.get_context()
        )


install(globals(), context_mixin=Reordering)
