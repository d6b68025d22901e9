"""A child keeps its parent's standard input: the target runs with the stdin it
inherited, as if multiprocessing did not replace it with os.devnull."""

import multiprocessing.util

from _standin import install

BREAKS = ["stdin-closed-in-children"]


class StdinKept:
    def _bootstrap(self, *args, **kwargs):
        close_stdin = multiprocessing.util._close_stdin
        multiprocessing.util._close_stdin = lambda: None
        try:
            return super()._bootstrap(*args, **kwargs)
        finally:
            multiprocessing.util._close_stdin = close_stdin


install(globals(), process_mixin=StdinKept)
