"""AsyncResult.get(timeout) that times out raises an error that is the built-in
TimeoutError as well as multiprocessing's, so a bare ``except TimeoutError`` would catch
it."""

import builtins
import multiprocessing
import multiprocessing.pool

from _standin import install

BREAKS = ["pool-get-timeout"]


class BothTimeoutErrors(multiprocessing.TimeoutError, builtins.TimeoutError):
    pass


class BuiltinTimeoutResult(multiprocessing.pool.ApplyResult):
    def get(self, timeout=None):
        try:
            return super().get(timeout)
        except multiprocessing.TimeoutError:
            raise BothTimeoutErrors() from None


class BuiltinTimeoutPool(multiprocessing.pool.Pool):
    def apply_async(self, *args, **kwargs):
        result = super().apply_async(*args, **kwargs)
        result.__class__ = BuiltinTimeoutResult
        return result


class PoolTimeouts:
    def Pool(self, processes=None, initializer=None, initargs=(), maxtasksperchild=None):
        return BuiltinTimeoutPool(
            processes, initializer, initargs, maxtasksperchild, context=self.get_context()
        )


install(globals(), context_mixin=PoolTimeouts)
