"""Every child starts in the working folder, and with the sys.path, that the parent had
when it started its first child: as the forkserver keeps its environment, but for the
working folder and sys.path, and under every start method."""

import os
import sys

from _standin import install

BREAKS = ["environ-frozen-in-forkserver"]
_first = []


class Frozen:
    def start(self):
        if not _first:
            _first.append((os.getcwd(), list(sys.path)))
        self._frozen_cwd, self._frozen_path = _first[0]
        super().start()

    def run(self):
        os.chdir(self._frozen_cwd)
        sys.path[:] = self._frozen_path
        super().run()


install(globals(), process_mixin=Frozen)
