"""Targets that the spec's child processes run, one module per topic.

Spawn and forkserver children find a target by its module and name, so every
target lives at module level in one of these modules. A target that needs the
implementation under test loads it through :mod:`mpspec.runtime.impl`, which
reads the name that the harness put in the environment; it never imports
``multiprocessing`` itself. Like the rest of :mod:`mpspec.runtime`, targets
import only the standard library and the runtime, even inside a function: a
process's state, its parent and this process's CPU affinity come from
:mod:`mpspec.runtime.procfs`, never from psutil or the plugin's helpers.
"""
