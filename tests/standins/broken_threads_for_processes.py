"""Processes are threads of the parent (multiprocessing.dummy's Process): they
share its pid, its memory and its modules, and take turns on the GIL."""

import multiprocessing.dummy

from _standin import install

BREAKS = ["isolated-globals", "separate-interpreters", "child-runs-target", "processes-use-cores"]


class ThreadsForProcesses:
    Process = multiprocessing.dummy.Process


install(globals(), context_mixin=ThreadsForProcesses)
