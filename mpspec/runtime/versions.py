"""Which Python changed what: the version facts that tests of several claims share.

Runtime module: stdlib only, cheap to import.
"""

import sys


def forkserver_imports_main_once():
    """Whether the forkserver imports a script's ``__main__`` once, for all its children.

    Its preload list has always held ``__main__``, but until CPython 3.13.8 and
    3.14.1 it was never given the script's path, so each child imported the
    script itself (gh-126631: in the 3.13.8 section of the NEWS file that Debian's
    python3.13 3.13.18 ships). Run here: 3.13.0 no; 3.13.18, 3.14.10 and 3.15.2
    yes (tools/unstable-root tox -e py313-unstable for 3.13.18).
    """
    version = sys.version_info[:3]
    return sys.implementation.name == "cpython" and (
        (3, 13, 8) <= version < (3, 14) or version >= (3, 14, 1)
    )


def forkserver_dies_when_main_fails():
    """Whether a script whose top level fails in the forkserver's import of ``__main__``
    takes the forkserver down, so that start() fails in the parent. From 3.15 the
    forkserver goes on and the child imports the script itself (run here: 3.14.10 dies,
    3.15.2 goes on)."""
    return forkserver_imports_main_once() and sys.version_info < (3, 15)


def fork_semlock_refused_elsewhere():
    """Whether start() refuses, with RuntimeError, to send a child of spawn or forkserver a
    lock made in a fork context (``SemLock._is_fork_ctx`` in synchronize.py, from
    CPython 3.11; PyPy follows its stdlib's version). Before, the lock was sent as a raw
    pointer into the parent's memory, and the child died of SIGSEGV when it used it (a
    target that never touches it exits 0; run here: 3.9.18, 3.10.13 and PyPy 3.9 die,
    3.11.7 to 3.15.2 refuse)."""
    return sys.version_info >= (3, 11)
