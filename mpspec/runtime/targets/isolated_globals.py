"""Child targets of spec/test_isolated_globals.py.

See :mod:`mpspec.runtime.targets` for the rules every target follows.
"""

import threading

# A module global with a known import-time value (claim isolated-globals).
STATE = "import-time"


def send_state(conn):
    """Send this process's view of ``STATE``."""
    conn.send(STATE)
    conn.close()


def set_state(value, conn):
    """Change ``STATE`` in this process and send it back to confirm."""
    global STATE
    STATE = value
    conn.send(STATE)
    conn.close()


def change_global_in_a_thread(value, conn):
    """Set ``STATE`` from a second thread; send what the main thread then sees."""

    def change():
        global STATE
        STATE = value

    thread = threading.Thread(target=change)
    thread.start()
    thread.join()
    conn.send(STATE)
    conn.close()
