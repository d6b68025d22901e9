"""Process objects as the tutorial describes them: no daemon keyword, group
ignored, every process named "Process-N" from its own counter, and a positive
exit code after a signal; an uncaught exception (KeyboardInterrupt included) ends the
child with exit code 255, not 1; and interrupt() exists on every Python version."""

import itertools
import os
import signal
import sys
import traceback

from _standin import install

BREAKS = ["process-constructor", "default-names", "exit-codes"]

_numbers = itertools.count(1)


class TutorialProcess:
    def __init__(self, group=None, target=None, name=None, args=(), kwargs={}):  # noqa: B006
        super().__init__(None, target, name or f"Process-{next(_numbers)}", args, kwargs)

    def run(self):
        try:
            super().run()
        except (Exception, KeyboardInterrupt):
            traceback.print_exc()
            sys.exit(255)

    def interrupt(self):
        os.kill(self.pid, signal.SIGINT)

    @property
    def exitcode(self):
        code = super().exitcode
        return None if code is None else abs(code)


install(globals(), process_mixin=TutorialProcess)
