"""Broken (isolated-globals): processes are threads of the parent
(multiprocessing.dummy's Process), so they share its module globals."""

import multiprocessing.dummy

from _standin import install


class ThreadsForProcesses:
    Process = multiprocessing.dummy.Process


install(globals(), context_mixin=ThreadsForProcesses)
