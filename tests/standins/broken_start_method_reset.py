"""set_start_method() may be called again and again: a later call replaces the method,
as if force=True were always given."""

import multiprocessing

from _standin import install

BREAKS = ["set-start-method-once"]

install(globals())


def set_start_method(method, force=False):
    multiprocessing.set_start_method(method, force=True)
