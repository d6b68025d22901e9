"""Child targets of spec/test_queue_capacity.py.

See :mod:`mpspec.runtime.targets` for the rules every target follows.
"""


def put_nowait_and_report(q, item, conn):
    """Try ``q.put_nowait(item)``; send "put" or the exception's class name."""
    try:
        q.put_nowait(item)
    except Exception as exc:
        conn.send(type(exc).__name__)
    else:
        conn.send("put")
    conn.close()
