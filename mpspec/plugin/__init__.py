"""The pytest plugin: what runs in the test process.

The ``pytest11`` entry point ``mpspec`` (pyproject.toml) names this package, and
``pytest_plugins`` below names the plugin's modules: pytest registers each as it
registers its own (``_pytest.config.default_plugins``), and each adds its own
options, ini keys and markers. ``-p no:mpspec`` keeps this package out, and with it
every module below. The child processes' code, :mod:`mpspec.runtime`, never imports
from here.

- :mod:`~mpspec.plugin.session`: what the session tests (``--mp-impl``,
  ``--start-method``, ini ``mpspec_catalogue``), built at configure;
- :mod:`~mpspec.plugin.workers`: ``-n WORKERS`` where the command line does not choose;
- :mod:`~mpspec.plugin.hooks`: the ``claim`` and ``timing`` markers, the start-method
  matrix, the catalogue check;
- :mod:`~mpspec.plugin.fixtures`: ``ctx``, ``call_in_child``, ``slot_pool`` and the rest;
- :mod:`~mpspec.plugin.reporting`: the claims table and the claims JSON (``--claims-json``);
- :mod:`~mpspec.plugin.leakcheck`: what a claim test leaves behind (marker ``mpspec_alone``);
- :mod:`~mpspec.plugin.bytecode`: mpspec compiled once where no interpreter writes caches;
- :mod:`~mpspec.plugin.applicability`: n/a where the catalogue says a claim cannot apply;
- :mod:`~mpspec.plugin.proctree`, :mod:`~mpspec.plugin.runner`,
  :mod:`~mpspec.plugin.pools`, :mod:`~mpspec.plugin.workloads`,
  :mod:`~mpspec.plugin.pickled`: helpers the spec's tests call.

This package imports nothing itself. pytest marks each module named below for
assertion rewriting just before it imports it, and a module already imported by
then cannot be rewritten: pytest warns, and this project's warnings are errors
(pytest 8.4, which Python 3.9 gets, with an editable install; pytest 9 marks the
whole package earlier). So each module comes after every module of the list that
it imports: session before hooks, fixtures and reporting. The order also sets the
order of ``pytest --help``'s options and ini keys, and of the hook wrappers (the
leak check's sections of a failure's report follow the report's own).
"""

pytest_plugins = (
    "mpspec.plugin.session",
    "mpspec.plugin.workers",
    "mpspec.plugin.hooks",
    "mpspec.plugin.applicability",
    "mpspec.plugin.fixtures",
    "mpspec.plugin.reporting",
    "mpspec.plugin.leakcheck",
    "mpspec.plugin.bytecode",
)
