"""mpspec: an executable specification of Python's multiprocessing.

The package has three rooms, split by who runs the code:

- :mod:`mpspec.runtime`: what the processes that the spec starts import (child
  targets, parent programs, the subreaper wrapper). Standard library only.
- :mod:`mpspec.plugin`: the pytest plugin and the helpers that tests call, in
  the test process.
- :mod:`mpspec.tools`: ``python -m mpspec book|matrix|guards``.

Shared by all three: :mod:`mpspec.catalogue` (the claims and the verdict
vocabulary), :mod:`mpspec.expectations` (declared deviations) and
:mod:`mpspec.outcomes` (how test outcomes fold into a claim's cell).
tests/test_boundary.py keeps the rooms apart. Nothing here imports
``multiprocessing`` for the behaviour it checks: :mod:`mpspec.runtime.impl`
loads the implementation under test by name.
"""

__version__ = "0.1.0"
