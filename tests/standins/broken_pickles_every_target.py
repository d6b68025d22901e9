"""start() pickles the target under every start method, fork too, as if a fork child
needed it: an unpicklable target fails to start under fork as well."""

import pickle

from _standin import install

BREAKS = ["target-must-pickle"]


class PicklesItsTarget:
    def start(self):
        pickle.dumps(self._target)
        super().start()


install(globals(), process_mixin=PicklesItsTarget)
