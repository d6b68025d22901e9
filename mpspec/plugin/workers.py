"""How many pytest-xdist workers a run gets when its command line does not say: the
ini key ``mpspec_workers`` ("auto", a number, or empty for serial; this project's
pyproject.toml says "auto"), added as ``-n WORKERS`` before pytest parses the command
line."""

import os


def pytest_addoption(parser):
    parser.addini(
        "mpspec_workers",
        "pytest-xdist workers when the command line does not choose (-n): auto, or a "
        "number; empty for serial",
        default="",
    )


# What on a command line chooses how to distribute the tests, or asks for what
# pytest-xdist cannot honour in a worker (a debugger, uncaptured output).
_CHOOSING_LONG = {"--numprocesses", "--dist", "--tx", "--pdb", "--trace", "--capture"}
_CHOOSING_SHORT = {"n", "d", "s"}
_SHORT_WITH_VALUE = set("kmpcoWrn")  # the rest of "-kfoo" is a value, not flags


def chooses_workers(args):
    """Whether ``args`` (a pytest command line) choose how to run the tests: ``-n``,
    ``--dist``, ``--tx``, a debugger, ``-s`` (alone or among short flags: ``-xs``)."""
    for arg in args:
        if arg == "--":
            break
        if arg.startswith("--"):
            if arg.partition("=")[0] in _CHOOSING_LONG:
                return True
        elif arg.startswith("-"):
            for flag in arg[1:]:
                if flag in _CHOOSING_SHORT:
                    return True
                if flag in _SHORT_WITH_VALUE:
                    break
    return False


def pytest_load_initial_conftests(early_config, parser, args):
    """Add ``-n WORKERS`` (ini ``mpspec_workers``) where pytest-xdist is installed and
    the command line does not choose, as pytest's documentation adds an option from
    a plugin. A run without xdist, or with ``-p no:xdist``, stays serial instead of
    failing on an unknown ``-n``."""
    workers = early_config.getini("mpspec_workers").strip()
    if not workers or os.environ.get("PYTEST_XDIST_WORKER"):
        return
    if early_config.pluginmanager.has_plugin("xdist") and not chooses_workers(args):
        args[:] = ["-n", workers, *args]
