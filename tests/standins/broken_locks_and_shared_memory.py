"""Lock() and the lock of Value() exclude nobody; Array() is private to each process
instead of shared; Value('d') is a C float and Value('i') a C long long; RawValue() has a
lock too. Event, Condition and Barrier keep real locks: they are not what this breaks."""

import ctypes
import multiprocessing
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


WRONG_TYPES = {"d": ctypes.c_float, "i": ctypes.c_longlong}


class Broken:
    def Lock(self):
        return NoLock()

    def Value(self, typecode, *args, lock=True):
        typecode = WRONG_TYPES.get(typecode, typecode)
        return multiprocessing.sharedctypes.Value(typecode, *args, lock=NoLock(), ctx=self)

    def RawValue(self, typecode, *args):
        return self.Value(typecode, *args)

    def Array(self, typecode, size_or_initializer, *, lock=True):
        items = list(size_or_initializer)
        kind = multiprocessing.sharedctypes.typecode_to_type.get(typecode, typecode)
        return Private((kind * len(items))(*items))  # a ctypes array in this process only

    def _real(self):
        return multiprocessing.get_context(self._name)

    def Event(self):
        return self._real().Event()

    def Condition(self, lock=None):
        return self._real().Condition(lock)

    def Barrier(self, parties, action=None, timeout=None):
        return self._real().Barrier(parties, action, timeout)


install(globals(), context_mixin=Broken)
