"""A module for set_forkserver_preload() to import (claim forkserver-preload): it records
which process imported it."""

import os

IMPORTED_IN = os.getpid()
