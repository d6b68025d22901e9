"""At interpreter exit, every child is terminated, daemonic or not, instead of
non-daemonic children being waited for."""

import atexit
import multiprocessing.util

from _standin import install

BREAKS = ["exit-waits-for-children"]

install(globals())


def _terminate_children_at_exit():
    for child in multiprocessing.active_children():
        child.terminate()
        child.join()


atexit.unregister(multiprocessing.util._exit_function)
atexit.register(_terminate_children_at_exit)
