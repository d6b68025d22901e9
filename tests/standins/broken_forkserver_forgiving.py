"""The forkserver forgives every preloaded module that fails, and says so: whatever a
module's import raises, ImportError or not, the forkserver writes a line about it on
stderr and goes on, instead of skipping only an ImportError, without a word, and dying of
anything else."""

import builtins
import multiprocessing.forkserver
import sys

from _standin import install

BREAKS = ["forkserver-preload"]


def _forgiving_import(name, *args, **kwargs):
    try:
        return builtins.__import__(name, *args, **kwargs)
    except Exception as exc:
        print(f"forkserver: could not preload {name!r}: {exc!r}", file=sys.stderr, flush=True)
        return None


# The forkserver's preload loop calls __import__ by its global name: this module, imported
# first (see below), puts the forgiving one in the forkserver module's globals.
multiprocessing.forkserver.__import__ = _forgiving_import


class Forgiving:
    def set_forkserver_preload(self, module_names):
        super().set_forkserver_preload([__name__, *module_names])


install(globals(), context_mixin=Forgiving)
