"""The implementation under test, named by ``--mp-impl`` or ``MPSPEC_IMPL``.

Every process that the spec starts reads the same name: the pytest plugin puts
it in the environment, which fork, spawn and forkserver children all inherit,
and parent programs also get it on their command line.
"""

import importlib
import os

ENV_VAR = "MPSPEC_IMPL"
DEFAULT = "multiprocessing"
# The start methods the spec knows, in the order every report lists them: defined
# here once, in the lowest room (the catalogue, the results and the plugin import it).
START_METHODS = ("fork", "spawn", "forkserver")


def name():
    """The module name of the implementation under test."""
    return os.environ.get(ENV_VAR) or DEFAULT


def load(module_name=None):
    """Import and return the implementation module (``multiprocessing`` by default)."""
    return importlib.import_module(module_name or name())


def context(method, module_name=None):
    """An explicit context of the implementation for one start method."""
    return load(module_name).get_context(method)
