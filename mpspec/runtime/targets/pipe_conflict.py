"""Child targets of spec/test_pipe_conflict.py.

See :mod:`mpspec.runtime.targets` for the rules every target follows.
"""

import threading

from mpspec.runtime.bounds import TIMEOUT


def receive_bytes_and_report(conn, maxlength, report):
    """Receive one message on ``conn`` (at most ``maxlength`` bytes) and send ``report``
    what came: ``("received", first byte, length)`` or ``("error", exception name)``."""
    try:
        data = conn.recv_bytes(maxlength)
    except Exception as exc:  # a corrupted length header: OSError("bad message length")
        report.send(("error", type(exc).__name__))
    else:
        report.send(("received", data[:1], len(data)))
    report.close()


def send_bytes_when_started(conn, fill, nbytes, start):
    """Wait for ``start``, then send one message of ``nbytes`` bytes ``fill``."""
    start.wait(TIMEOUT)
    conn.send_bytes(bytes([fill]) * nbytes)


def exchange_big_messages(conn, nbytes):
    """Send a big message and receive one on the same end, concurrently (threads)."""

    sender = threading.Thread(target=conn.send_bytes, args=(b"c" * nbytes,))
    sender.start()
    received = conn.recv_bytes() if conn.poll(TIMEOUT) else b""
    sender.join()
    conn.send(received == b"p" * nbytes)
    conn.close()
