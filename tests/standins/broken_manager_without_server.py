"""Manager() starts no server: its dict() and list() are plain local objects."""

from _standin import install

BREAKS = ["manager-server-process", "manager-flexible-types"]


class LocalManager:
    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.shutdown()

    def shutdown(self):
        pass

    def dict(self, *args, **kwargs):
        return dict(*args, **kwargs)

    def list(self, *args):
        return list(*args)


class NoServer:
    def Manager(self):
        return LocalManager()


install(globals(), context_mixin=NoServer)
