"""value.value += 1 on a shared integer Value is one atomic step: reading .value gives an
int whose += adds to the shared memory under the Value's lock, and the write that ends
the += changes nothing more. A hand-written read, then write, still loses updates."""

import multiprocessing.sharedctypes

from _standin import install

BREAKS = ["shared-state-needs-lock"]


class _Added(int):
    """The result of an atomic +=: already in shared memory."""


class _Read(int):
    """An integer read from ``owner``: its += adds in shared memory, under the lock."""

    def __new__(cls, owner, number):
        read = super().__new__(cls, number)
        read.owner = owner
        return read

    def __iadd__(self, other):
        with self.owner:
            self.owner._obj.value += other
            return _Added(self.owner._obj.value)


class AtomicSynchronized(multiprocessing.sharedctypes.Synchronized):
    def __reduce__(self):
        multiprocessing.context.assert_spawning(self)
        return _rebuild, (self._obj, self._lock)

    @property
    def value(self):
        with self:
            number = self._obj.value
        return _Read(self, number) if isinstance(number, int) else number

    @value.setter
    def value(self, new):
        if isinstance(new, _Added):
            return
        with self:
            self._obj.value = new


def _rebuild(obj, lock):
    value = multiprocessing.sharedctypes.synchronized(obj, lock)
    value.__class__ = AtomicSynchronized
    return value


class AtomicValues:
    def Value(self, typecode_or_type, *args, lock=True):
        value = super().Value(typecode_or_type, *args, lock=lock)
        if type(value) is multiprocessing.sharedctypes.Synchronized:
            value.__class__ = AtomicSynchronized
        return value


install(globals(), context_mixin=AtomicValues)
