"""A made-up run's claims JSON, as the plugin writes it, for the harness tests of the tools
that read it (matrix, book, diff, publish). Not a test module."""

from types import SimpleNamespace

from mpspec import outcomes


def run(records, python="3.13.0", interpreter="CPython", impl="multiprocessing", verdict="holds",
        verdicts=None, claims=None, **header):  # fmt: skip
    """:class:`mpspec.outcomes.Results` of ``records`` (TestRecords) on ``interpreter``
    ``python`` testing ``impl``: the claims of ``claims`` (a catalogue), else those the
    records name, each with ``verdict`` unless ``verdicts`` ({claim: verdict}) says
    otherwise; ``header`` sets other
    header fields (commit, date, interpreter_version, ...)."""
    fields = {
        "python": python,
        "python_implementation": interpreter,
        "interpreter_version": python,
        "implementation": impl,
        "implementation_version": "4.3.2" if impl != "multiprocessing" else None,
        "platform": "Linux",
        "sys_platform": "linux",
        "mpspec_version": "0.1.0",
        **header,
    }
    if claims is None:
        claims = {
            rec.claim: SimpleNamespace(verdict=(verdicts or {}).get(rec.claim, verdict))
            for rec in records
        }
    results = outcomes.summarize(records, claims)
    return outcomes.Results(outcomes.Header(**fields), results, list(records))
