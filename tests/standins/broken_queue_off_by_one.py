"""Queue(n) holds n + 1 items."""

from _standin import install

BREAKS = ["queue-capacity"]


class OffByOne:
    def Queue(self, maxsize=0):
        return super().Queue(maxsize + 1 if maxsize > 0 else maxsize)


install(globals(), context_mixin=OffByOne)
