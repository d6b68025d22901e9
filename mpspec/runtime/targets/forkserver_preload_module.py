"""A module for set_forkserver_preload() to import (spec/test_forkserver_preload.py,
claim forkserver-preload): it records which process imported it. Nothing else imports it.
"""

import os

IMPORTED_IN = os.getpid()
