"""Every bound on a wait, in seconds: one name and one value each, and why.

The spec never waits without a bound. Most waits are for something that a
healthy run delivers in milliseconds, and share one generous bound, TIMEOUT.
The others bound something of a different kind, and say what.

pytest-timeout's 60 s per test (``timeout`` in pyproject.toml) is the last line
of defence above all of these, not a bound the spec relies on.
"""

import os

# One blocking wait for an event that a healthy run delivers at once: a message,
# a child's start or exit, a lock. Generous, because a loaded 2-core machine can
# take a second to start a spawn child. MPSPEC_TIMEOUT overrides it, for example
# to make runs that are expected to fail (broken stand-ins) fail sooner.
TIMEOUT = float(os.environ.get("MPSPEC_TIMEOUT") or 20.0)

# How long a try that is expected to fail keeps trying: taking a lock that
# another thread or process holds. Success would come at once; a failure costs
# this much, so it is short.
REFUSAL = 0.2

# How long the processes, threads and /dev/shm entries of a finished claim test
# may take to go away by themselves before the leak check calls them leftovers.
GRACE = 1.0

# A parent program (mpspec.runtime.scenarios, under mpspec.runtime.reaper):
# the time it may take to end by itself once its test is done, and the most it
# may live at all before the wrapper kills its tree.
PROGRAM_GRACE = 2.0
PROGRAM_LIFETIME = 120.0

# After SIGKILL, the time for the killed processes to be reaped and vanish
# (an orphan is reaped by whoever adopted it, and pid 1 may take its time).
KILL_BOUND = 10.0
