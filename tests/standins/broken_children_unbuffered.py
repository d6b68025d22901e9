"""Every child writes its standard output through at once, whatever its parent was run
with: as if python -u reached spawn and forkserver children too, and as if a child's
piped stdout were never buffered."""

import io
import sys

from _standin import install

BREAKS = ["lock-serializes-output"]


class WrittenThrough:
    def _bootstrap(self, *args, **kwargs):
        sys.stdout.flush()
        sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), write_through=True)
        return super()._bootstrap(*args, **kwargs)


install(globals(), process_mixin=WrittenThrough)
