"""Lock() and the lock of Value() exclude nobody, and Value()/Array() are
private to each process instead of shared."""

import multiprocessing.sharedctypes

from _standin import install

BREAKS = ["lock-serializes-output", "shared-state-needs-lock", "value-array-shared"]


class NoLock:
    def acquire(self, block=True, timeout=None):
        return True

    def release(self):
        pass

    def __enter__(self):
        return True

    def __exit__(self, *exc_info):
        pass


class Private:
    """A Value or Array that lives in one process's memory only."""

    def __init__(self, obj):
        self._obj = obj
        self._lock = NoLock()

    value = property(lambda self: self._obj.value, lambda self, v: setattr(self._obj, "value", v))

    def get_obj(self):
        return self._obj

    def get_lock(self):
        return self._lock

    def __len__(self):
        return len(self._obj)

    def __getitem__(self, i):
        return self._obj[i]

    def __setitem__(self, i, v):
        self._obj[i] = v


class Broken:
    def Lock(self):
        return NoLock()

    def Value(self, typecode, *args, lock=True):
        return multiprocessing.sharedctypes.Value(typecode, *args, lock=NoLock(), ctx=self)

    def Array(self, typecode, size_or_initializer, *, lock=True):
        return Private(list(size_or_initializer))


install(globals(), context_mixin=Broken)
