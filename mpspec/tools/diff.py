"""What changed between two results: ``python -m mpspec diff A B``.

A and B are claims JSON files (``pytest --claims-json FILE``), or folders of them
(``results/``, as tox writes it). Two files are compared with each other; two
folders run by run, paired by file name (``py313.json`` with ``py313.json``).

Two things are compared, per claim and start method: the cell (its kind, and how
many tests did not apply, as the claims table shows it: ``verified, 1 n/a``), and
the ``observed`` value of each test case (``PicklingError in start()``), which is
categorical, the same in every run of one configuration. ``measured`` figures vary
from run to run and are ignored. The exit status is 0 when nothing differs, 1 when
something does, 2 on an error, as ``diff`` has it.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from mpspec import outcomes
from mpspec.runtime.impl import START_METHODS

NOT_RUN = outcomes.LEGEND[outcomes.NOT_RUN].word


@dataclass(frozen=True)
class Change:
    """One difference: ``what`` is "cell" or "observed"; ``case`` the test case for an
    observed value ("spec/test_target_pickle.py::test_x[lambda]"), "" for a cell;
    ``a`` and ``b`` the two values, None where one side has none."""

    claim: str
    method: str
    what: str
    case: str
    a: Optional[str]
    b: Optional[str]


def _case(test, method):
    """A test id without its start method: ``t.py::f[fork-lock]`` -> ``t.py::f[lock]``."""
    from mpspec.tools.matrix import case_of

    params = case_of(test, method)
    name = test.partition("[")[0]
    return f"{name}[{params}]" if params else name


def observed(results):
    """``{(claim, case, method): value}``: what each test case observed."""
    return {
        (r.claim, _case(r.test, r.start_method), r.start_method): r.observed
        for r in results.results
        if r.observed is not None
    }


def compare(a, b):
    """The :class:`Change` list from results ``a`` to results ``b``
    (:class:`mpspec.outcomes.Results`), in claim order (``a``'s, then claims only ``b``
    has), then start method order."""
    order = list(dict.fromkeys([*a.claims, *b.claims]))
    changes = []
    for claim in order:
        for method in START_METHODS:
            # A claim a run lacks (one that predates it) ran under no method: "-".
            cells = [r.cell(claim, method).text if claim in r.claims else NOT_RUN for r in (a, b)]
            if cells[0] != cells[1]:
                changes.append(Change(claim, method, "cell", "", *cells))
    seen_a, seen_b = observed(a), observed(b)
    for key in sorted(set(seen_a) | set(seen_b), key=lambda k: (order.index(k[0]), k[1], k[2])):
        if seen_a.get(key) != seen_b.get(key):
            claim, case, method = key
            changes.append(
                Change(claim, method, "observed", case, seen_a.get(key), seen_b.get(key))
            )
    changes.sort(key=lambda c: (order.index(c.claim), START_METHODS.index(c.method)))
    return changes


def describe(results):
    """One line naming a run: "CPython 3.13.0, multiprocessing"."""
    h = results.header
    impl = h.implementation + (f" {h.implementation_version}" if h.implementation_version else "")
    return f"{h.python_implementation} {h.python}, {impl}"


def pairs(a, b):
    """``([(name, results_a, results_b)], only_a, only_b)`` for two paths: two files, or
    two folders of claims JSON files paired by name."""
    a, b = Path(a), Path(b)
    if a.is_dir() != b.is_dir():
        raise ValueError(f"compare two files or two folders, not {a} and {b}")
    if not a.is_dir():
        return [(f"{a} -> {b}", outcomes.load(a), outcomes.load(b))], [], []
    names_a = {p.name for p in a.glob("*.json")}
    names_b = {p.name for p in b.glob("*.json")}
    for folder, names in ((a, names_a), (b, names_b)):
        if not names:
            raise ValueError(f"{folder}: no claims JSON files")
    both = sorted(names_a & names_b)
    found = [(name, outcomes.load(a / name), outcomes.load(b / name)) for name in both]
    return found, sorted(names_a - names_b), sorted(names_b - names_a)


def _value(value):
    return "(none)" if value is None else value


def report(a, b):
    """``(text, differs)``: the differences between paths ``a`` and ``b`` in words."""
    found, only_a, only_b = pairs(a, b)
    lines = []
    total = claims = 0
    for name, left, right in found:
        changes = compare(left, right)
        total += len(changes)
        claims += len({c.claim for c in changes})
        lines.append(f"{name}: {describe(left)} -> {describe(right)}")
        if not changes:
            lines.append("  no claim differs")
        claim = None
        for c in changes:
            if c.claim != claim:
                claim = c.claim
                lines.append(f"  {claim}")
            what = "cell" if c.what == "cell" else c.case.partition("::")[2]
            lines.append(f"    {c.method:<10} {what}: {_value(c.a)} -> {_value(c.b)}")
    for name in only_a:
        lines.append(f"{name}: only in {a}")
    for name in only_b:
        lines.append(f"{name}: only in {b}")
    differs = bool(total or only_a or only_b)
    lines.append(
        f"{total} difference(s) in {claims} claim(s)"
        + (f"; {len(only_a) + len(only_b)} run(s) on one side only" if only_a or only_b else "")
        if differs
        else "no differences"
    )
    return "\n".join(lines) + "\n", differs
