"""Pipe() does the opposite of what duplex asks: Pipe(duplex=False) returns a two-way
pipe, and Pipe() a one-way pipe (receive end, send end)."""

from _standin import install

BREAKS = ["pipe-one-way"]


class Opposite:
    def Pipe(self, duplex=True):
        return super().Pipe(not duplex)


install(globals(), context_mixin=Opposite)
