"""A child's descriptor 0 is os.devnull too: before the target runs, the child puts
os.devnull on descriptor 0 as well as on sys.stdin, so that nothing in the child can
read its parent's standard input, os.read(0, ...) included."""

import os

from _standin import install

BREAKS = ["stdin-closed-in-children"]


class Fd0Closed:
    def _bootstrap(self, *args, **kwargs):
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        return super()._bootstrap(*args, **kwargs)


install(globals(), process_mixin=Fd0Closed)
