"""What start() does with a Process that pickle refuses: shared by the claims whose
targets, arguments or Process subclasses cannot be pickled.

Test-side helper: imported by spec modules, never by child processes.
"""

from mpspec.plugin import proctree
from mpspec.runtime.bounds import TIMEOUT


def runs_under_fork_else_start_raises(start_method, proc, receiver, sender, expected, error):
    """Start ``proc``, which sends one object on ``sender`` and ends.

    Under fork it must start, send ``expected`` and exit 0; elsewhere start() must raise
    ``error`` in the parent, before any child exists. Returns what was observed:
    "runs" or "<exception> in start()". Closes both connection ends and joins ``proc``.
    """
    try:
        if start_method == "fork":
            try:
                proc.start()
            except Exception as exc:
                raise AssertionError(f"start() refused it under fork: {exc!r}") from exc
            sender.close()
            assert receiver.poll(TIMEOUT)
            assert receiver.recv() == expected
            proc.join(TIMEOUT)
            assert proc.exitcode == 0
            return "runs"
        before = {p.pid for p in proctree.descendants()}
        try:
            proc.start()
        except error as exc:
            assert proc.pid is None
            # No process was created for it, not even one that ended at once (a zombie
            # counts: descendants() lists them); the forkserver and the resource tracker
            # that start() may start first are not the child.
            assert {p.pid for p in proctree.descendants()} <= before, "start() made a process"
            return f"{type(exc).__name__} in start()"
        raise AssertionError(f"start() did not raise {error.__name__} under {start_method}")
    finally:
        receiver.close()
        sender.close()
        if proc.pid is not None:
            proc.join(TIMEOUT)
