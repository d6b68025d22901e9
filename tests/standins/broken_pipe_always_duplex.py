"""Pipe(duplex=False) returns a two-way pipe."""

from _standin import install

BREAKS = ["pipe-one-way"]


class AlwaysDuplex:
    def Pipe(self, duplex=True):
        return super().Pipe(True)


install(globals(), context_mixin=AlwaysDuplex)
