"""Every child starts with the environment its parent has at start(), under forkserver
too: the Process object carries it and applies it before the target runs."""

import os

from _standin import install

BREAKS = ["environ-frozen-in-forkserver"]


class EnvironForwarded:
    def start(self):
        self._parent_environ = dict(os.environ)
        super().start()

    def run(self):
        os.environ.clear()
        os.environ.update(self._parent_environ)
        super().run()


install(globals(), process_mixin=EnvironForwarded)
