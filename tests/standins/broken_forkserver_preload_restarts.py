"""set_forkserver_preload() counts at once: a running forkserver is stopped, so that the
next forkserver child comes from a new forkserver that imports the new list, instead of
the list counting only for a forkserver not yet started."""

import multiprocessing.forkserver

from _standin import install

BREAKS = ["forkserver-preload"]


class PreloadRestarts:
    def set_forkserver_preload(self, module_names):
        multiprocessing.forkserver._forkserver._stop()
        super().set_forkserver_preload(module_names)


install(globals(), context_mixin=PreloadRestarts)
