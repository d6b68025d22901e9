"""start() pickles the target and its arguments under every start method, fork too, as
if a fork child needed them: what pickle refuses fails to start under fork as well."""

import pickle

from _standin import install

BREAKS = ["target-must-pickle", "args-must-pickle"]


class PicklesItsTarget:
    def start(self):
        pickle.dumps((self._target, self._args))
        super().start()


install(globals(), process_mixin=PicklesItsTarget)
