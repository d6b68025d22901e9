"""start() reports whatever it cannot send to a spawn or forkserver child as its own
exception class, CannotSend, which derives from every exception class the pickler uses
(PicklingError, AttributeError, TypeError), so that an except clause written for any of
them still catches it: the class the pickler raised is lost."""

import pickle

from _standin import install

BREAKS = ["target-must-pickle"]


class CannotSend(pickle.PicklingError, AttributeError, TypeError):
    pass


class WrapsPickleErrors:
    def start(self):
        try:
            super().start()
        except (pickle.PicklingError, AttributeError, TypeError) as exc:
            raise CannotSend(str(exc)) from exc


install(globals(), process_mixin=WrapsPickleErrors)
