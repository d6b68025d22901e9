"""start() waits for the child to end; join() returns at once, daemon or not."""

from _standin import install

BREAKS = ["no-join-runs-concurrently", "join-waits", "join-waits-for-daemon"]


class StartWaitsJoinDoesNot:
    def start(self):
        super().start()
        super().join(5)

    def join(self, timeout=None):
        return None


install(globals(), process_mixin=StartWaitsJoinDoesNot)
