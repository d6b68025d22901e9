"""At interpreter exit, daemonic children are joined like the others instead of
being terminated first (what the tutorial's sample output implies)."""

import atexit
import multiprocessing.util

from _standin import install

BREAKS = ["daemon-terminated-on-exit"]

install(globals())


def _join_children_at_exit():
    for child in multiprocessing.active_children():
        child.join()


atexit.unregister(multiprocessing.util._exit_function)
atexit.register(_join_children_at_exit)
