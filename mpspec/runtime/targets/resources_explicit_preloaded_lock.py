"""A lock made when this module is imported, for set_forkserver_preload() to import
(claim resources-pass-explicitly): imported in the forkserver, it is one lock that
every forkserver child shares; imported in each child, it is a lock per child.

Only the targets that take this lock import it (inside the target), so that no other
child makes a semaphore it would have to clean up.
"""

import os

from mpspec.runtime import impl

LOCK = impl.load().get_context("spawn").Lock()
MADE_IN = os.getpid()
