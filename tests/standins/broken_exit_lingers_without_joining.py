"""At interpreter exit, non-daemonic children are not waited for: the exit handler only
takes a moment (half a second, as a slow clean-up would) and then lets the parent go,
its children still running."""

import atexit
import multiprocessing.util
import time

from _standin import install

BREAKS = ["exit-waits-for-children"]

install(globals())


def _linger_at_exit():
    time.sleep(0.5)  # the slow clean-up this stand-in stands for, not a wait for anything


atexit.unregister(multiprocessing.util._exit_function)
atexit.register(_linger_at_exit)
