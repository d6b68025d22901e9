"""Faithful: re-exports multiprocessing unchanged. The whole spec must pass."""

from multiprocessing import *  # noqa: F403
from multiprocessing import __all__  # noqa: F401
