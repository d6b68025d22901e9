"""set_forkserver_preload() does nothing: the forkserver imports no module for its
children, and each forkserver child imports what it needs itself, as a spawn child does."""

from _standin import install

BREAKS = ["forkserver-preload", "resources-pass-explicitly"]


class PreloadIgnored:
    def set_forkserver_preload(self, module_names):
        pass


install(globals(), context_mixin=PreloadIgnored)
