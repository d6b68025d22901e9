"""set_start_method() refuses a second call as it should, but in words of its own: its
RuntimeError says "the start method was chosen already", not "context has already been
set"."""

import multiprocessing

from _standin import install

BREAKS = ["set-start-method-once"]

install(globals())


def set_start_method(method, force=False):
    try:
        multiprocessing.set_start_method(method, force)
    except RuntimeError:
        raise RuntimeError("the start method was chosen already") from None
