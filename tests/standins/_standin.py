"""Build stand-ins: multiprocessing with one behaviour changed.

A stand-in module calls :func:`install` on its own globals. It then exposes
multiprocessing's public API, except that ``get_context(method)`` returns a
context whose class derives from the real one, with ``context_mixin`` and a
Process class with ``process_mixin`` placed first. The derived classes live in
the stand-in module, so spawn and forkserver children unpickle them (and so
import the stand-in) by name.
"""

import multiprocessing


def install(namespace, context_mixin=object, process_mixin=None):
    module = namespace["__name__"]
    namespace.update({name: getattr(multiprocessing, name) for name in multiprocessing.__all__})
    contexts = {}
    for method in multiprocessing.get_all_start_methods():
        real = multiprocessing.get_context(method)
        attrs = {"__module__": module}
        if process_mixin is not None:
            attrs["Process"] = _derive(namespace, process_mixin, real.Process)
        contexts[method] = _derive(namespace, context_mixin, type(real), attrs)()

    def get_context(method=None):
        return contexts[method or multiprocessing.get_start_method()]

    for ctx in contexts.values():
        # BaseContext.get_context() without a method returns the context itself.
        ctx.get_context = lambda method=None, ctx=ctx: ctx if method is None else contexts[method]
    namespace["get_context"] = get_context


def _derive(namespace, mixin, base, attrs=None):
    """``class base(mixin, base)``, published in ``namespace`` under a unique name."""
    bases = (base,) if mixin is object else (mixin, base)
    cls = type(base.__name__, bases, dict(attrs or {}, __module__=namespace["__name__"]))
    cls.__qualname__ = f"_{base.__name__}"
    namespace[cls.__qualname__] = cls
    return cls
