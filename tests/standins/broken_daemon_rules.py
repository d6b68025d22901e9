"""The daemon flag can be changed after start(), and a daemonic process may start
children of its own."""

import multiprocessing.process

from _standin import install

BREAKS = ["daemon-terminated-on-exit"]


class LaxDaemons:
    @property
    def daemon(self):
        return self._config.get("daemon", False)

    @daemon.setter
    def daemon(self, value):
        self._config["daemon"] = value  # no check that the process has not started

    def start(self):
        config = multiprocessing.process.current_process()._config
        was_daemon = config.pop("daemon", None)  # the check reads the caller's flag
        try:
            super().start()
        finally:
            if was_daemon is not None:
                config["daemon"] = was_daemon


install(globals(), process_mixin=LaxDaemons)
