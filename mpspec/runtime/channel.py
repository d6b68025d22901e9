"""Events from any process of a scenario back to the test, with bounded waits.

The test binds an :class:`Inbox` (a Unix datagram socket in a short temporary
directory). Any process that knows its address, whatever started it and even
after its parent died, reports with :func:`send`. The transport is the plain
``socket`` module, so it does not depend on the implementation under test.
"""

import os
import socket
import time

from mpspec.runtime.bounds import TIMEOUT


def send(address, event, **fields):
    """Report ``event`` with ``fields`` (and the sender's pid) to the inbox at ``address``."""
    import json  # here, not at the top: most children that import this module never send

    message = dict(fields, event=event, pid=os.getpid())
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.sendto(json.dumps(message).encode(), address)


class Inbox:
    """The receiving end: collects events and waits for one with a deadline."""

    def __init__(self):
        import tempfile  # here, not at the top: children import this module to send

        self._dir = tempfile.mkdtemp(prefix="mpspec-")
        self.address = os.path.join(self._dir, "inbox")
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._sock.bind(self.address)
        self.received = []

    def expect(self, event, timeout=TIMEOUT, **fields):
        """Return the first event named ``event`` (with ``fields``), waiting at most ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            for message in self.received:
                if message["event"] == event and all(
                    message.get(k) == v for k, v in fields.items()
                ):
                    return message
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(
                    f"no {event!r} event {fields or ''} within {timeout}s; received {self.received}"
                )
            self._receive(remaining)

    def expect_all(self, event, count, timeout=TIMEOUT):
        """Return the first ``count`` events named ``event``, waiting at most ``timeout``."""
        deadline = time.monotonic() + timeout
        while len(self.events(event)) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(
                    f"{len(self.events(event))} of {count} {event!r} events within {timeout}s;"
                    f" received {self.received}"
                )
            self._receive(remaining)
        return self.events(event)[:count]

    def drain(self, timeout=0.0):
        """Collect what has arrived (waiting at most ``timeout``) and return all events."""
        self._receive(timeout)
        while self._receive(0):
            pass
        return [m for m in self.received]

    def events(self, event):
        """Every event named ``event`` received so far."""
        return [m for m in self.received if m["event"] == event]

    def _receive(self, timeout):
        self._sock.settimeout(timeout if timeout > 0 else None)
        if timeout <= 0:
            self._sock.setblocking(False)
        try:
            data = self._sock.recv(65536)
        except (socket.timeout, BlockingIOError):
            return False
        import json

        self.received.append(json.loads(data))
        return True

    def close(self):
        self._sock.close()
        import shutil

        shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
