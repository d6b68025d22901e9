"""A multiprocessing Lock made when this module is imported (spec/test_resources_explicit.py,
claim resources-pass-explicitly), as code written for fork often makes one.

A module of its own, imported by the target when it runs: a lock made while a child
unpickles its target would lose its clean-up, which Process._bootstrap clears, and leave
its semaphore in /dev/shm.
"""

from mpspec.runtime import impl

LOCK = impl.load().get_context("spawn").Lock()
