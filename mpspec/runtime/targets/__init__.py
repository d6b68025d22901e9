"""Targets that the spec's child processes run, a module per spec module.

``spec/test_<topic>.py`` finds its targets in ``targets/<topic>.py``. What
several spec modules, the plugin's helpers (:mod:`mpspec.plugin.pools`,
:mod:`mpspec.plugin.workloads`) or the parent programs of
:mod:`mpspec.runtime.scenarios` share is in ``targets/common.py``. A module that a
process imports by name, rather than a target, is named ``<topic>_<what>``
(``overview_probe``, ``forkserver_preload_module``). tests/test_catalogue.py
checks that every module here is named after a spec module, and that each spec
module takes targets only from its own module and ``common``.

Spawn and forkserver children find a target by its module and name, so every
target lives at module level in one of these modules. A target that needs the
implementation under test loads it through :mod:`mpspec.runtime.impl`, which
reads the name that the harness put in the environment; it never imports
``multiprocessing`` itself. Like the rest of :mod:`mpspec.runtime`, targets
import only the standard library and the runtime, even inside a function: a
process's state, its parent and this process's CPU affinity come from
:mod:`mpspec.runtime.procfs`, never from psutil or the plugin's helpers.
"""
