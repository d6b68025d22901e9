"""The daemon rules are enforced by raise statements instead of asserts, so python -O
keeps them: the daemon flag still cannot change after start(), and a daemonic process
still may not start children."""

import multiprocessing.process

from _standin import install

BREAKS = ["daemon-terminated-on-exit"]


class StrictDaemons:
    @property
    def daemon(self):
        return self._config.get("daemon", False)

    @daemon.setter
    def daemon(self, value):
        if self._popen is not None:
            raise AssertionError("process has already started")
        self._config["daemon"] = value

    def start(self):
        if multiprocessing.process.current_process()._config.get("daemon"):
            raise AssertionError("daemonic processes are not allowed to have children")
        super().start()


install(globals(), process_mixin=StrictDaemons)
