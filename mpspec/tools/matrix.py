"""One claims matrix from many runs: ``python -m mpspec matrix RESULTS_DIR``.

Each run of ``pytest --claims-json FILE`` records one interpreter and one
implementation. The matrix has a row per claim (tutorial order), a column group
per run and a cell per start method, and it says on each row what the outcome
changes with: the start method, the Python version, the interpreter or the
implementation. It is written as Markdown and as a self-contained HTML page, from
the templates ``matrix.md.j2`` and ``matrix.html.j2``.
"""

from pathlib import Path

from mpspec import catalogue, outcomes
from mpspec.outcomes import LEGEND
from mpspec.runtime.impl import START_METHODS
from mpspec.tools.pages import templates

VERDICT_ORDER = catalogue.VERDICTS
SHORT = {"fork": "fk", "spawn": "sp", "forkserver": "fs"}  # column heads in the HTML


class Run:
    """One claims JSON file (:class:`mpspec.outcomes.Results`): the environment and the
    cells of every claim."""

    def __init__(self, results, source=""):
        self.source = source
        self.results = results
        self.python = results.header.python
        self.interpreter = results.header.python_implementation
        self.implementation = results.header.implementation
        self.implementation_version = results.header.implementation_version
        self.claims = results.claims
        self.patch_in_label = False  # set by load() where two runs share a minor version
        self.reasons = {}  # (claim, method) -> reasons of its n/a and deviating tests
        self.deviations = {}  # (claim, method) -> what happens instead, deviating tests only
        self.observed = {}  # (claim, case, method) -> what the test saw (claims that depend)
        for rec in results.results:
            if rec.observed and rec.verdict == "depends":
                key = (rec.claim, case_of(rec.test, rec.start_method), rec.start_method)
                self.observed[key] = rec.observed
            if rec.reason and rec.outcome in ("deviates", "skipped"):
                key = (rec.claim, rec.start_method)
                for table in [self.reasons] + [self.deviations] * (rec.outcome == "deviates"):
                    if rec.reason not in table.setdefault(key, []):
                        table[key].append(rec.reason)

    @property
    def minor(self):
        return ".".join(self.python.split(".")[:2])

    @property
    def label(self):
        name = f"{self.interpreter} {self.python if self.patch_in_label else self.minor}"
        if self.implementation != "multiprocessing":
            version = f" {self.implementation_version}" if self.implementation_version else ""
            name = f"{self.implementation}{version} on {name}"
        return name

    def sort_key(self):
        version = tuple(int(p) for p in self.python.split(".") if p.isdigit())
        return (
            self.implementation != "multiprocessing",
            self.implementation,
            self.interpreter != "CPython",
            version,
        )

    def cell(self, claim, method):
        """The :class:`mpspec.outcomes.Cell` of ``claim`` under ``method``."""
        return self.results.cell(claim, method)


def case_of(test, method):
    """The case a test id names, without its start method: ``t.py::f[fork-lock]`` -> "lock"."""
    inner = test.partition("[")[2].rstrip("]")
    return "-".join(part for part in inner.split("-") if part and part != method)


def family(run):
    """What a run is apart from its Python version: "CPython", "billiard on CPython"."""
    return run.label.rsplit(" ", 1)[0]


def where(chosen, runs):
    """The runs in ``chosen`` named compactly, in ``runs``' order: a family whose every run
    is chosen is named alone ("PyPy"), else with its versions ("CPython 3.14, 3.15")."""
    words = []
    for name in dict.fromkeys(family(run) for run in runs):
        members = [run for run in runs if family(run) == name]
        picked = [run.minor for run in members if run in chosen]
        if picked and len(picked) == len(members):
            words.append(name)
        elif picked:
            words.append(f"{name} {', '.join(picked)}")
    return "; ".join(words)


def observations(runs):
    """``[(claim, case, {method: [(value, where)]})]``: what each configuration did, for the
    claims whose verdict depends on it; ``where`` is "" when every run that observed the
    row saw the value."""
    rows = {}
    for run in runs:
        for (cid, case, method), value in run.observed.items():
            by_value = rows.setdefault((cid, case), {}).setdefault(method, {})
            by_value.setdefault(value, []).append(run)
    order = [cid for cid, _ in claim_rows(runs)]
    out = []
    for (cid, case), methods in sorted(rows.items(), key=lambda kv: order.index(kv[0][0])):
        # The runs that observed this row at all: an older run may predate its test.
        observing = {r for by_value in methods.values() for rs in by_value.values() for r in rs}
        cells = {}
        for method, by_value in methods.items():
            seen = {run for run_list in by_value.values() for run in run_list}
            everywhere = len(by_value) == 1 and seen == observing
            cells[method] = [
                (value, "" if everywhere else where(rs, runs)) for value, rs in by_value.items()
            ]
        out.append((cid, case, cells))
    return out


def _observed_text(cell):
    return "; ".join(f"{value} ({at})" if at else value for value, at in cell) or "–"


def load(results_dir):
    """Every claims JSON file in ``results_dir``, as Runs in column order. Each goes
    through the one loader (:func:`mpspec.outcomes.load`): a file of another format
    version, or no claims JSON at all, stops the matrix with the loader's error."""
    runs = [
        Run(outcomes.load(path), path.name) for path in sorted(Path(results_dir).glob("*.json"))
    ]
    if not runs:
        raise ValueError(f"{results_dir}: no claims JSON files (pytest --claims-json FILE)")
    labels = [run.label for run in runs]
    for run, label in zip(runs, labels):
        run.patch_in_label = labels.count(label) > 1
    return sorted(runs, key=Run.sort_key)


def provenance(run):
    """Where a run's figures come from: its file, the exact versions, commit and date."""
    h = run.results.header
    versions = f"{h.python_implementation} {h.python}"
    if h.interpreter_version != h.python:
        versions += f" ({h.python_implementation} {h.interpreter_version})"
    if h.implementation != "multiprocessing":
        versions = f"{h.implementation} {h.implementation_version or ''} on {versions}"
    return {
        "label": run.label,
        "file": run.source,
        "versions": versions.replace("  ", " "),
        "commit": (h.commit or "")[:12] + ("-dirty" if (h.commit or "").endswith("-dirty") else ""),
        "date": h.date or "",
    }


def steps(runs):
    """``[(title, a, b)]``: the pairs of runs whose differences the page lists: each
    CPython run against the next version, then each other interpreter or implementation
    against the CPython run of its Python version."""
    cpython = [
        r for r in runs if r.interpreter == "CPython" and r.implementation == "multiprocessing"
    ]
    out = [(f"{a.label} → {b.label}", a, b) for a, b in zip(cpython, cpython[1:])]
    for run in runs:
        if run in cpython:
            continue
        base = [r for r in cpython if r.minor == run.minor]
        if base:
            out.append((f"{base[-1].label} → {run.label}", base[-1], run))
    return out


def changes(runs):
    """What changes at each of :func:`steps`, as :func:`mpspec.tools.diff.compare` says."""
    from mpspec.tools import diff

    return [
        {
            "title": title,
            "changes": [
                {
                    "claim": c.claim,
                    "method": c.method,
                    "case": "the cell" if c.what == "cell" else c.case.partition("::")[2],
                    "a": c.a if c.a is not None else "(none)",
                    "b": c.b if c.b is not None else "(none)",
                }
                for c in diff.compare(a.results, b.results)
            ],
        }
        for title, a, b in steps(runs)
    ]


def claim_rows(runs):
    """``[(claim, verdict)]`` in the order the runs list them (the catalogue's)."""
    rows = {}
    for run in runs:
        for cid, summary in run.claims.items():
            rows.setdefault(cid, summary.verdict or "?")
    return list(rows.items())


def varies(runs, claim):
    """What the outcome of ``claim`` changes with, across these runs: a list of words."""
    found = []
    for run in runs:
        # Its kind only: "verified, 1 n/a" counts as verified.
        seen = {run.cell(claim, m).kind for m in START_METHODS} - {
            outcomes.NOT_APPLICABLE,
            outcomes.NOT_RUN,
        }
        if len(seen) > 1:
            found.append("start method")
            break
    groups = {
        "Python version": lambda r: (r.implementation, r.interpreter),
        "interpreter": lambda r: (r.implementation, r.minor),
        "implementation": lambda r: (r.interpreter, r.minor),
    }
    for word, key in groups.items():
        by_key = {}
        for run in runs:
            cells = tuple(run.cell(claim, m).kind for m in START_METHODS)
            by_key.setdefault(key(run), set()).add(cells)
        if any(len(outcomes) > 1 for outcomes in by_key.values()):
            found.append(word)
    return found


def summary(runs):
    """Counts per verdict, and the runs that failed or errored anywhere."""
    verdicts = {}
    for _, verdict in claim_rows(runs):
        verdicts[verdict] = verdicts.get(verdict, 0) + 1
    broken = [
        run.label
        for run in runs
        if any(
            run.cell(cid, m).kind in (outcomes.FAILED, outcomes.ERROR)
            for cid in run.claims
            for m in START_METHODS
        )
    ]
    return verdicts, broken


def markdown(runs):
    """The matrix as Markdown text."""
    return templates().get_template("matrix.md.j2").render(_page(runs))


def to_html(runs):
    """The matrix as one self-contained HTML page (no scripts, no external assets)."""
    return templates().get_template("matrix.html.j2").render(_page(runs))


def _page(runs):
    """What the matrix shows, for its templates: the same for both formats."""
    verdicts, broken = summary(runs)
    return {
        "runs": runs,
        "methods": START_METHODS,
        "short": SHORT,
        "legend": list(LEGEND.values()),
        "verdicts": [(v, verdicts[v]) for v in VERDICT_ORDER if v in verdicts],
        "broken": broken,
        "rows": [
            {
                "id": cid,
                "verdict": verdict,
                "cells": [[_cell(run, cid, m) for m in START_METHODS] for run in runs],
                "varies": ", ".join(varies(runs, cid)),
            }
            for cid, verdict in claim_rows(runs)
        ],
        "observed": [
            {
                "claim": cid,
                "case": case,
                "cells": [
                    {"seen": cells.get(m, []), "text": _observed_text(cells.get(m, []))}
                    for m in START_METHODS
                ],
            }
            for cid, case, cells in observations(runs)
        ],
        "deviations": [
            (label, [_note(*note) for note in notes]) for label, notes in _deviation_notes(runs)
        ],
        "provenance": [provenance(run) for run in runs],
        "steps": changes(runs),
    }


def _cell(run, claim, method):
    """One run's cell of a claim: its symbol, its CSS class and its hover text."""
    cell = run.cell(claim, method)
    return {
        "symbol": cell.symbol,
        "kind": cell.legend.css,
        "title": "; ".join(run.reasons.get((claim, method), [])) or cell.text,
    }


def _deviation_notes(runs):
    """``[(run label, [(claim, [methods], what happens)])]`` for runs with deviations."""
    out = []
    for run in runs:
        notes = {}
        for (cid, method), reasons in sorted(
            run.deviations.items(), key=lambda item: START_METHODS.index(item[0][1])
        ):
            for reason in reasons:
                notes.setdefault((cid, reason), []).append(method)
        if notes:
            out.append((run.label, [(cid, methods, r) for (cid, r), methods in notes.items()]))
    return out


def _note(cid, methods, reason):
    return f"{cid} [{', '.join(methods)}]: {reason}"


def write(results_dir, out_dir=None):
    """Write ``matrix.md`` and ``matrix.html`` into ``out_dir`` (default: the results
    folder) and return their paths and the Markdown text."""
    runs = load(results_dir)
    out = Path(out_dir or results_dir)
    out.mkdir(parents=True, exist_ok=True)
    md_path, html_path = out / "matrix.md", out / "matrix.html"
    text = markdown(runs)
    md_path.write_text(text, encoding="utf-8")
    html_path.write_text(to_html(runs), encoding="utf-8")
    return md_path, html_path, text


# --- What the runs observed, by version (the book's "Moving off fork" table) ---------


def _case_label(test, method):
    """A test case, short: its parameters without the start method ("lambda"), else its
    function's name in words ("a lock made at import ...")."""
    name = test.partition("::")[2].partition("[")[0]
    return case_of(test, method) or name.removeprefix("test_").replace("_", " ")


def observed_in(run, claim, method):
    """``{case: value}``: what ``run``'s tests of ``claim`` observed under ``method``."""
    return {
        _case_label(rec.test, method): rec.observed
        for rec in run.results.results
        if rec.claim == claim and rec.start_method == method and rec.observed is not None
    }


def _version(run):
    return run.label.rsplit(" ", 1)[1]


def _grouped(runs, phrase_of):
    """``[(where, phrase)]`` over ``runs`` for ``phrase_of(run)`` (None: the run saw
    nothing): CPython's versions in ranges (``""`` when all saw the same), then each other
    interpreter or implementation whose phrase differs from CPython's of its version."""
    cpython = [
        r for r in runs if r.interpreter == "CPython" and r.implementation == "multiprocessing"
    ]
    groups = []  # [[first run, last run, phrase]]
    for run in cpython:
        phrase = phrase_of(run)
        if phrase is None:
            continue
        if groups and groups[-1][2] == phrase:
            groups[-1][1] = run
        else:
            groups.append([run, run, phrase])
    out = []
    for first, last, phrase in groups:
        span = _version(first) if first is last else f"{_version(first)}–{_version(last)}"
        out.append(("" if len(groups) == 1 else span, phrase))
    for run in runs:
        if run in cpython:
            continue
        phrase = phrase_of(run)
        base = [r for r in cpython if r.minor == run.minor]
        if phrase is not None and (not base or phrase != phrase_of(base[-1])):
            out.append((run.label, phrase))
    return out


def _joined(pairs):
    return "; ".join(f"{where}: {phrase}" if where else phrase for where, phrase in pairs)


def by_version(runs, claim, method):
    """``[(case, [(where, phrase)])]``: what ``claim``'s tests observed under ``method``
    across ``runs``, case by case (``case`` is "" where the claim has one), each grouped
    by :func:`_grouped`: CPython's versions in ranges, then the other interpreters and
    implementations where they differ."""
    cases = sorted({case for run in runs for case in observed_in(run, claim, method)})
    out = []
    for case in cases:
        pairs = _grouped(runs, lambda run, case=case: observed_in(run, claim, method).get(case))
        out.append(("" if len(cases) == 1 else case, pairs))
    return out


def by_version_text(runs, claim, method):
    """:func:`by_version` as one phrase: "3.9–3.13: X; 3.14–3.15: Y; PyPy 3.9: Z", cases
    apart ("lambda: ... · bound method: ...")."""
    found = by_version(runs, claim, method)
    if len({tuple(pairs) for _, pairs in found}) == 1:  # every case saw the same
        return _joined(found[0][1])
    parts = [f"{case}: {_joined(pairs)}" if case else _joined(pairs) for case, pairs in found]
    return " · ".join(parts) or "–"
