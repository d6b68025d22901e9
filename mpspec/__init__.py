"""mpspec: an executable specification of Python's multiprocessing.

The package holds the harness (a pytest plugin) and the small modules that the
processes started by the spec import: child targets, parent programs and the
subreaper wrapper. It never imports ``multiprocessing`` for the behaviour it
checks; :mod:`mpspec.impl` loads the implementation under test by name.
"""

__version__ = "0.1.0"
