"""Process objects as the tutorial describes them: no daemon keyword, group
ignored, every process named "Process-N" from its own counter, and a positive
exit code after a signal."""

import itertools

from _standin import install

BREAKS = ["process-constructor", "default-names", "exit-codes"]

_numbers = itertools.count(1)


class TutorialProcess:
    def __init__(self, group=None, target=None, name=None, args=(), kwargs={}):  # noqa: B006
        super().__init__(None, target, name or f"Process-{next(_numbers)}", args, kwargs)

    @property
    def exitcode(self):
        code = super().exitcode
        return None if code is None else abs(code)


install(globals(), process_mixin=TutorialProcess)
