"""Child targets of spec/test_args_pickle.py.

See :mod:`mpspec.runtime.targets` for the rules every target follows.
"""


def use_argument(kind, arg, conn):
    """Use an argument that pickle refuses (a threading.Lock, an open file, a generator) as
    a fork child can; send what came of it."""
    if kind == "lock":
        with arg:
            conn.send("locked and released")
    elif kind == "file":
        arg.write(b"written by the child")
        arg.flush()
        conn.send("written")
    else:
        conn.send(next(arg))
    conn.close()


class DropsASecret:
    """An object whose pickled state leaves out one of its attributes."""

    def __init__(self):
        self.public, self.secret = "public", "secret"

    def __getstate__(self):
        return {"public": self.public}


def send_attributes(obj, conn):
    """Send the ``public`` and ``secret`` attributes of ``obj`` (None where missing)."""
    conn.send((getattr(obj, "public", None), getattr(obj, "secret", None)))
    conn.close()
