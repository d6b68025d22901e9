"""Targets that the spec's child processes run, one module per topic.

Spawn and forkserver children find a target by its module and name, so every
target lives at module level in one of these modules. A target that needs the
implementation under test loads it through :mod:`mpspec.runtime.impl`, which
reads the name that the harness put in the environment; it never imports
``multiprocessing`` itself. Like the rest of :mod:`mpspec.runtime`, targets
import the standard library only (psutil lazily, in the few targets that ask
the process table what /proc does not say simply).
"""
