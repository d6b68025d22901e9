"""start() waits for the child to end; join() returns at once, daemon or not."""

from _standin import install

# daemon-terminated-on-exit: its tests include one that joins a daemonic child.
BREAKS = [
    "no-join-runs-concurrently",
    "join-waits",
    "join-waits-for-daemon",
    "daemon-terminated-on-exit",
]


class StartWaitsJoinDoesNot:
    def start(self):
        super().start()
        super().join(5)

    def join(self, timeout=None):
        return None


install(globals(), process_mixin=StartWaitsJoinDoesNot)
