"""The results contract: how claim tests' outcomes fold into a claim's cells, the claims
JSON that ``pytest --claims-json=PATH`` writes, and the one function that reads it back.

Everything a results file holds is defined here once, as typed records:

- :class:`TestRecord`: one claim test's outcome under one start method;
- :class:`Cell`: what a claim's tests did under one start method (its kind and the
  count of each outcome), folded from its records;
- :class:`ClaimSummary`: a claim's verdict and its cell per start method;
- :class:`SpecTest`: one test function of the spec, as collected;
- :class:`Header`: the run's interpreter, implementation, platform and versions;
- :class:`Results`: all of it, the whole file.

:data:`LEGEND` says, once for every report (the terminal table, the matrix, the book),
how each cell kind is shown and what it means. :func:`load` reads a file that
:meth:`Results.to_json` wrote, and refuses one of another :data:`FORMAT`.
docs/results-format.md describes the file for people who write tools against it.
"""

import json
import platform
import sys
from dataclasses import MISSING, asdict, dataclass, field, fields
from typing import Optional

import mpspec
from mpspec.runtime.impl import START_METHODS

# The claims JSON's format version. It changes when a field is removed or renamed, or
# when a value changes meaning; a new optional field keeps it.
FORMAT = 1

# A test record's outcome. "deviates": the test behaved as its implementation's
# expectations file declares (a strict xfail), neither verified nor failed.
OUTCOMES = ("passed", "failed", "skipped", "error", "deviates")


class ResultsFormatError(ValueError):
    """A claims JSON file that this version of mpspec cannot read."""


# --- The cell kinds and their legend ------------------------------------------------

VERIFIED = "verified"
DEVIATES = "deviates"
NOT_APPLICABLE = "n/a"
FAILED = "failed"
ERROR = "error"
NOT_RUN = "not-run"


@dataclass(frozen=True)
class Kind:
    """How one cell kind is shown: ``word`` in the terminal table and the book,
    ``symbol`` in the matrix, ``css`` the class of its HTML cells, ``meaning`` the
    legend's words."""

    name: str
    word: str
    symbol: str
    css: str
    meaning: str


# The one legend, in the order the matrix lists it.
LEGEND = {
    kind.name: kind
    for kind in (
        Kind(VERIFIED, "verified", "✓", "ok", "verified: this run confirmed what the spec asserts"),
        Kind(
            DEVIATES,
            "deviates (expected)",
            "≠",
            "dev",
            "deviates (expected): declared in spec/expectations/",
        ),
        Kind(
            NOT_APPLICABLE, "n/a", "n/a", "na", "not applicable here (reason in the run's report)"
        ),
        Kind(
            FAILED, "FAILED", "✗", "bad", "FAILED: the behaviour differs from the spec, undeclared"
        ),
        Kind(ERROR, "ERROR", "E", "bad", "ERROR: the test could not run cleanly"),
        Kind(NOT_RUN, "-", "–", "none", "not run"),
    )
}


# --- The records --------------------------------------------------------------------


@dataclass
class Cell:
    """What a claim's tests did under one start method: its ``kind`` (a key of
    :data:`LEGEND`) and ``counts``, the number of its tests per outcome (every key of
    :data:`OUTCOMES`, zeros included)."""

    kind: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))

    @classmethod
    def fold(cls, outcomes):
        """The cell of a claim under one start method, from its tests' outcomes: a failure
        outweighs an error, which outweighs a deviation; n/a only when nothing applied."""
        counts = {o: outcomes.count(o) for o in OUTCOMES}
        if not outcomes:
            kind = NOT_RUN
        elif counts["failed"]:
            kind = FAILED
        elif counts["error"]:
            kind = ERROR
        elif counts["deviates"]:
            kind = DEVIATES
        elif counts["skipped"] == len(outcomes):
            kind = NOT_APPLICABLE
        else:
            kind = VERIFIED
        return cls(kind, counts)

    @property
    def legend(self):
        return LEGEND[self.kind]

    @property
    def partly_na(self):
        """Verified, with some of its tests not applicable here."""
        return self.kind == VERIFIED and self.counts["skipped"] > 0

    @property
    def text(self):
        """The cell in words, as the terminal table and the book show it: "verified, 1 n/a"."""
        if self.partly_na:
            return f"{self.legend.word}, {self.counts['skipped']} n/a"
        return self.legend.word

    @property
    def symbol(self):
        """The cell as the matrix shows it: "✓+n/a"."""
        return self.legend.symbol + ("+n/a" if self.partly_na else "")


@dataclass
class TestRecord:
    """One claim test's result under one start method.

    ``reason``: for a skipped (n/a) test why it does not apply, for a deviating one what
    happens instead (the expectations file's ``actual``). ``failure``: for a failed or
    erroring test, the name of the exception that failed it (``AssertionError`` when the
    behaviour was refuted). ``timing``: for a test whose verdict rests on a timing
    threshold, its margin. ``observed``: what the configuration did, where the test
    recorded it, a categorical value that runs are compared by; ``measured``: a figure
    beside it that varies from run to run (comparisons ignore it). Each is None where it
    does not apply, and left out of the JSON then."""

    __test__ = False  # not a pytest test class, whatever its name

    claim: str
    start_method: str
    test: str
    outcome: str
    verdict: Optional[str]
    reason: Optional[str] = None
    failure: Optional[str] = None
    timing: Optional[str] = None
    observed: Optional[str] = None
    measured: Optional[str] = None

    def to_dict(self):
        return {k: v for k, v in asdict(self).items() if v is not None or k == "verdict"}


@dataclass
class SpecTest:
    """One test function of the spec, as collected: the claim it names, its name, its
    docstring, and where it is (``path`` relative to the rootdir, with forward slashes;
    ``line``: its first decorator's, else its ``def``'s)."""

    claim: str
    name: str
    doc: str
    path: str
    line: int


@dataclass
class ClaimSummary:
    """A claim's verdict in the catalogue (None for a claim the catalogue lacks) and its
    cell under each start method."""

    verdict: Optional[str]
    cells: dict[str, Cell]


@dataclass
class Header:
    """Where the run ran: ``python`` the language version ("3.12.1"),
    ``python_implementation`` the interpreter ("CPython", "PyPy") and
    ``interpreter_version`` its own version (PyPy's "7.3.11"; CPython's is ``python``),
    ``implementation`` the module under test and ``implementation_version`` its
    ``__version__`` (None when it has none), ``platform`` (``platform.platform()``),
    ``sys_platform`` (``sys.platform``), ``mpspec_version`` the spec's version;
    ``commit`` the git commit of the tested tree (``-dirty`` appended when tracked files
    differ from it; None outside a git checkout) and ``date`` when the run ended (UTC,
    ISO 8601): optional, as files written before them lack them."""

    python: str
    python_implementation: str
    interpreter_version: str
    implementation: str
    implementation_version: Optional[str]
    platform: str
    sys_platform: str
    mpspec_version: str
    commit: Optional[str] = None
    date: Optional[str] = None


@dataclass
class Results:
    """A whole claims JSON file: the header's fields at its top level, then ``claims`` (a
    :class:`ClaimSummary` per claim, catalogue order), ``results`` (a :class:`TestRecord`
    per test) and ``tests`` (the spec's test functions, where the writing process
    collected them: an xdist controller collects none)."""

    header: Header
    claims: dict[str, ClaimSummary]
    results: list[TestRecord]
    tests: list[SpecTest] = field(default_factory=list)

    def to_dict(self):
        return {
            "format": FORMAT,
            **asdict(self.header),
            "claims": {cid: asdict(summary) for cid, summary in self.claims.items()},
            "results": [rec.to_dict() for rec in self.results],
            "tests": [asdict(test) for test in self.tests],
        }

    def to_json(self):
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def cell(self, claim, method):
        """The cell of ``claim`` under ``method``; not run when the run lacks either."""
        summary = self.claims.get(claim)
        return summary.cells.get(method, Cell(NOT_RUN)) if summary else Cell(NOT_RUN)


# --- Writing ------------------------------------------------------------------------


def git_commit(root):
    """The commit checked out at ``root``, with ``-dirty`` when tracked files differ from
    it; None where ``root`` is not in a git checkout or git is missing."""
    import subprocess

    def git(*args):
        return subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30
        )

    try:
        head = git("rev-parse", "HEAD")
        if head.returncode != 0:
            return None
        dirty = git("status", "--porcelain", "--untracked-files=no").stdout.strip()
    except FileNotFoundError:  # no git (Debian unstable's minimal root): read .git itself
        return _head_from_files(root)
    except (OSError, subprocess.SubprocessError):
        return None
    return head.stdout.strip() + ("-dirty" if dirty else "")


def _head_from_files(root):
    """The commit ``.git`` at ``root`` or above names as HEAD, read without git (so
    without knowing whether the tree differs from it); None where that fails."""
    from pathlib import Path

    for folder in (Path(root), *Path(root).parents):
        git_dir = folder / ".git"
        if git_dir.exists():
            break
    else:
        return None
    try:
        if git_dir.is_file():  # a worktree: "gitdir: PATH"
            git_dir = Path(git_dir.read_text().split(":", 1)[1].strip())
        head = (git_dir / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head
        ref = head[5:]
        bases = [git_dir]  # a worktree's branches are in the common folder
        if (git_dir / "commondir").exists():
            bases.append(git_dir / (git_dir / "commondir").read_text().strip())
        for base in bases:
            if (base / ref).exists():
                return (base / ref).read_text().strip()
            packed = base / "packed-refs"
            if packed.exists():
                for line in packed.read_text().splitlines():
                    if line.endswith(" " + ref):
                        return line.split()[0]
    except (OSError, IndexError):
        return None
    return None


def environment(impl_name, root=None):
    """The header of a run in this process, testing the implementation ``impl_name``
    (with the commit of the tree at ``root`` and the time now, where ``root`` is given)."""
    import datetime

    module = sys.modules.get(impl_name)
    pypy = getattr(sys, "pypy_version_info", None)
    version = getattr(module, "__version__", None)
    return Header(
        python=platform.python_version(),
        python_implementation=platform.python_implementation(),
        interpreter_version=(
            ".".join(str(part) for part in pypy[:3]) if pypy else platform.python_version()
        ),
        implementation=impl_name,
        implementation_version=None if version is None else str(version),
        platform=platform.platform(),
        sys_platform=sys.platform,
        mpspec_version=mpspec.__version__,
        commit=git_commit(root) if root is not None else None,
        date=(
            datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
            if root is not None
            else None
        ),
    )


def summarize(records, claims):
    """``{claim: ClaimSummary}`` for every catalogue claim (catalogue order), then any
    claim the records name that the catalogue lacks."""
    grouped = {cid: {m: [] for m in START_METHODS} for cid in claims}
    for rec in records:
        by_method = grouped.setdefault(rec.claim, {m: [] for m in START_METHODS})
        by_method.setdefault(rec.start_method, []).append(rec.outcome)
    return {
        cid: ClaimSummary(
            claims[cid].verdict if cid in claims else None,
            {m: Cell.fold(outs) for m, outs in by_method.items()},
        )
        for cid, by_method in grouped.items()
    }


def collect(records, claims, impl_name, tests=(), root=None):
    """The :class:`Results` of a run in this process (of the tree at ``root``)."""
    return Results(
        environment(impl_name, root), summarize(records, claims), list(records), list(tests)
    )


# --- Reading ------------------------------------------------------------------------


def load(path):
    """The :class:`Results` in the claims JSON file ``path``; ResultsFormatError if it is
    not one of this :data:`FORMAT`."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except UnicodeDecodeError as exc:
        raise ResultsFormatError(f"{path}: not a claims JSON file ({exc})") from None
    return loads(text, source=str(path))


def loads(text, source="claims JSON"):
    """:func:`load`, from the file's text."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ResultsFormatError(f"{source}: not JSON ({exc})") from None
    return from_dict(data, source)


def from_dict(data, source="claims JSON"):
    """:class:`Results` from a parsed claims JSON document, checked field by field."""
    if not isinstance(data, dict):
        raise ResultsFormatError(f"{source}: not a claims JSON file (not an object)")
    if "format" not in data:
        old = "claims" in data and "results" in data
        raise ResultsFormatError(
            f"{source}: "
            + (
                "a claims JSON file without a format version (written before format 1)"
                if old
                else "not a claims JSON file (no format version)"
            )
            + f"; this mpspec reads format {FORMAT}: rerun pytest --claims-json=PATH"
        )
    if data["format"] != FORMAT:
        raise ResultsFormatError(
            f"{source}: claims JSON format {data['format']!r}; this mpspec reads format "
            f"{FORMAT}: read it with the mpspec that wrote it, or rerun pytest --claims-json"
        )
    check = _Checker(source)
    header = Header(
        **{
            f.name: check.field(data, f.name, _types(f), required=f.default is MISSING)
            for f in fields(Header)
        }
    )
    claims = {}
    for cid, entry in check.field(data, "claims", dict).items():
        where = f"claims.{cid}"
        verdict = check.field(entry, "verdict", (str, type(None)), where)
        cells = {}
        for method, raw in check.field(entry, "cells", dict, where).items():
            cell_where = f"{where}.cells.{method}"
            check.choice(method, START_METHODS, f"{where}.cells")
            kind = check.choice(
                check.field(raw, "kind", str, cell_where), LEGEND, f"{cell_where}.kind"
            )
            counts = check.field(raw, "counts", dict, cell_where)
            if sorted(counts) != sorted(OUTCOMES):
                check.fail(f"{cell_where}.counts must count exactly {', '.join(OUTCOMES)}")
            for outcome in OUTCOMES:
                check.field(counts, outcome, int, f"{cell_where}.counts")
            cells[method] = Cell(kind, dict(counts))
        claims[cid] = ClaimSummary(verdict, cells)
    results = []
    for n, raw in enumerate(check.field(data, "results", list)):
        where = f"results[{n}]"
        values = {
            f.name: check.field(raw, f.name, _types(f), where, required=f.default is MISSING)
            for f in fields(TestRecord)
        }
        check.choice(values["outcome"], OUTCOMES, f"{where}.outcome")
        check.choice(values["start_method"], START_METHODS, f"{where}.start_method")
        results.append(TestRecord(**values))
    tests = []
    for n, raw in enumerate(check.field(data, "tests", list)):
        where = f"tests[{n}]"
        values = {f.name: check.field(raw, f.name, _types(f), where) for f in fields(SpecTest)}
        tests.append(SpecTest(**values))
    return Results(header, claims, results, tests)


def _types(f):
    """The JSON value types a field of a record may hold (a str, an int, or a str or null)."""
    return (str, type(None)) if f.type == Optional[str] else f.type


class _Checker:
    """Field checks that name the file and the place of what is wrong."""

    def __init__(self, source):
        self.source = source

    def fail(self, message):
        raise ResultsFormatError(f"{self.source}: {message}")

    def field(self, obj, name, types, where="", required=True):
        place = f"{where}.{name}" if where else name
        if not isinstance(obj, dict):
            self.fail(f"{where or 'the file'} is not an object")
        if name not in obj:
            if required:
                self.fail(f"{place} is missing")
            return None
        value = obj[name]
        if not isinstance(value, types) or (types is int and isinstance(value, bool)):
            self.fail(f"{place} has the wrong type ({type(value).__name__})")
        return value

    def choice(self, value, allowed, place):
        if value not in allowed:
            self.fail(f"{place} is {value!r}, not one of {', '.join(map(str, allowed))}")
        return value


# --- The terminal report ------------------------------------------------------------


def table(records, claims, title):
    """The claims table as lines of text."""
    rows = [("claim", "verdict", *START_METHODS)]
    for cid, summary in summarize(records, claims).items():
        verdict = summary.verdict or "?"
        cells = (summary.cells.get(m, Cell(NOT_RUN)).text for m in START_METHODS)
        rows.append((cid, verdict, *cells))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [title]
    for n, row in enumerate(rows):
        lines.append("  ".join(text.ljust(w) for text, w in zip(row, widths)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def not_applicable(records):
    """Lines naming what this run could not verify, and why, grouped by claim and reason."""
    return _by_claim_and_reason(records, "skipped", "no reason given")


def deviations(records):
    """Lines naming the expected deviations of this run, and what happens instead."""
    return _by_claim_and_reason(records, "deviates", "not described")


def _by_claim_and_reason(records, outcome, default):
    grouped = {}
    for rec in records:
        if rec.outcome == outcome:
            methods = grouped.setdefault((rec.claim, rec.reason or default), [])
            if rec.start_method not in methods:
                methods.append(rec.start_method)
    return [
        f"{claim} [{', '.join(methods)}]: {reason}" for (claim, reason), methods in grouped.items()
    ]
