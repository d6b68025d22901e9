"""The pytest plugin: what runs in the test process.

Registered through the ``pytest11`` entry point ``mpspec`` (pyproject.toml), whose
module is :mod:`~mpspec.plugin.hooks`. This package itself imports nothing. The
child processes' code, :mod:`mpspec.runtime`, never imports from it.

- :mod:`~mpspec.plugin.hooks`: options, the start-method matrix, the catalogue check;
- :mod:`~mpspec.plugin.fixtures`: ``ctx``, ``call_in_child``, ``slot_pool`` and the rest;
- :mod:`~mpspec.plugin.reporting`: the claims table and the claims JSON;
- :mod:`~mpspec.plugin.leakcheck`: what a claim test leaves behind;
- :mod:`~mpspec.plugin.applicability`: n/a where the catalogue says a claim cannot apply;
- :mod:`~mpspec.plugin.proctree`, :mod:`~mpspec.plugin.runner`,
  :mod:`~mpspec.plugin.pools`, :mod:`~mpspec.plugin.workloads`,
  :mod:`~mpspec.plugin.pickled`: helpers the spec's tests call.
"""
