"""start() pickles the target and its arguments under every start method, fork too, and the
child gets the unpickled copies, as if a fork child needed them: what pickle refuses fails
to start under fork as well, and a fork child sees what was pickled, not the parent's
objects."""

import pickle
from multiprocessing.connection import Connection

from _standin import install

BREAKS = ["target-must-pickle", "args-must-pickle"]


def _copy(obj):
    # Connections are passed as they are: pickling one is only possible while a child
    # is being spawned.
    return obj if isinstance(obj, Connection) else pickle.loads(pickle.dumps(obj))


class PicklesItsTarget:
    def start(self):
        pickle.dumps((self._target, self._args, self._kwargs))  # refuses what pickle refuses
        self._target = _copy(self._target)
        self._args = tuple(_copy(arg) for arg in self._args)
        self._kwargs = {key: _copy(value) for key, value in self._kwargs.items()}
        super().start()


install(globals(), process_mixin=PicklesItsTarget)
