"""A multiprocessing Lock made when this module is imported (claim
resources-pass-explicitly), as code written for fork often makes one."""

from mpspec.runtime import impl

LOCK = impl.load().get_context("spawn").Lock()
