"""The forkserver always imports the preload list with the parent's sys.path, as if every
version had gh-117378's fix: set_forkserver_preload() puts the parent's sys.path on
PYTHONPATH, which the forkserver, started later, inherits. (On a version with the fix
this changes nothing the spec sees.)"""

import os
import sys

from _standin import install

BREAKS = ["forkserver-preload"]


class PreloadFollowsSysPath:
    def set_forkserver_preload(self, module_names):
        os.environ["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        super().set_forkserver_preload(module_names)


install(globals(), context_mixin=PreloadFollowsSysPath)
