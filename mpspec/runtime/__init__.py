"""The runtime: what the processes that the spec starts import.

Fork, spawn and forkserver children, parent programs and the subreaper wrapper
import these modules, so they stay cheap to import and import only the standard
library and each other, wherever the import stands (inside a function too):
neither pytest nor psutil, nor the plugin or the tools. The implementation under
test is loaded by name, through :mod:`~mpspec.runtime.impl`. What psutil would
tell, /proc does (:mod:`~mpspec.runtime.procfs`). tests/test_boundary.py checks
every import statement of every module here.

- :mod:`~mpspec.runtime.bounds`: how long anything may wait (``MPSPEC_TIMEOUT``);
- :mod:`~mpspec.runtime.impl`: loads the implementation under test by name;
- :mod:`~mpspec.runtime.channel`: events from any process back to the test;
- :mod:`~mpspec.runtime.targets`: what child processes run, by topic;
- :mod:`~mpspec.runtime.scenarios`: parent programs, for claims about a parent that exits;
- :mod:`~mpspec.runtime.reaper`: the subreaper wrapper around a parent program;
- :mod:`~mpspec.runtime.procfs`: the process table, read from /proc;
- :mod:`~mpspec.runtime.machine` and :mod:`~mpspec.runtime.versions`: facts
  about this machine and about which Python changed what.
"""
