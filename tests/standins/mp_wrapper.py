"""Faithful: multiprocessing with derived context and Process classes that change
nothing. The whole spec must pass."""

from _standin import install

install(globals(), process_mixin=type("Unchanged", (), {}))
