"""The claim catalogue: ``spec/claims.toml``, loaded and validated.

Each ``[[claim]]`` table has an ``id`` (kebab-case, stable), the tutorial
``section`` it comes from (or ``python-docs``), the ``claim`` restated in our
own words and in Chinese (``claim_zh``), a ``verdict``, and what really happens
as a list of facts (``[[claim.fact]]``). A fact is a sentence or two in English
(``en``) and Chinese (``zh``) and its evidence, exactly one kind of it: the
``tests`` of this claim whose assertions show it, or, for what no test here
can show (another platform, documented behaviour), the ``source`` a reader can
open, with ``documented = true``. A fact without evidence or without its
Chinese text is an error; whether its tests exist, and belong to its claim, is
checked against the collected spec (:func:`check_coverage`).
"""

import re
from dataclasses import dataclass

try:
    import tomllib
except ImportError:  # Python < 3.11
    import tomli as tomllib

from mpspec.runtime.impl import START_METHODS

# The verdict vocabulary, defined once: every report lists verdicts in this order (the
# tutorial's errors first), and the book and the matrix colour them alike.
VERDICTS = ("refuted", "depends", "holds-with-caveats", "holds")
VERDICT_COLOURS = {  # (background, text)
    "refuted": ("#9b1c1c", "#fff"),
    "depends": ("#1f5fa8", "#fff"),
    "holds-with-caveats": ("#f0c24b", "#3d2e00"),
    "holds": ("#d3ecd8", "#1c6b2c"),
}


def verdict_css():
    """CSS rules that colour ``.v-<verdict>`` elements (verdict badges), one per verdict."""
    return "".join(
        f".v-{v}{{background:{bg};color:{fg}}}" for v, (bg, fg) in VERDICT_COLOURS.items()
    )


FIELDS = ("id", "section", "claim", "verdict", "claim_zh")
# What really happens: ``[[claim.fact]]`` tables, each with these fields.
FACT_FIELDS = ("en", "zh", "tests", "source", "documented")
_CHINESE = re.compile(r"[\u4e00-\u9fff]")
# A start-method pitfall (the book's "Moving off fork" chapter) also says, per start
# method, what happens (``observed``: a table with keys fork, spawn and forkserver),
# and what to do instead (``instead``), in both languages.
PITFALL_FIELDS = ("observed", "observed_zh", "instead", "instead_zh")
METHODS = START_METHODS  # listed once, in the runtime (the lowest room)
_KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class CatalogueError(ValueError):
    """The catalogue file is malformed."""


@dataclass(frozen=True)
class Fact:
    """One statement of what really happens, and its evidence: the ``tests`` (function
    names, of the same claim) whose assertions show it, or a ``source`` that documents it."""

    en: str
    zh: str
    tests: tuple = ()
    source: str = ""

    @property
    def documented(self):
        """Documented (read from ``source``), not shown by a test."""
        return bool(self.source)

    def text(self, lang="en"):
        return self.en if lang == "en" else getattr(self, lang)


@dataclass(frozen=True)
class Claim:
    id: str
    section: str
    claim: str
    verdict: str
    claim_zh: str
    facts: tuple = ()  # (Fact, ...): what really happens
    observed: tuple = ()  # ((method, text), ...) for a start-method pitfall
    observed_zh: tuple = ()
    instead: str = ""
    instead_zh: str = ""

    @property
    def is_pitfall(self):
        return bool(self.observed)

    def text(self, field, lang="en"):
        """``claim`` (or another text field) in ``lang`` ("en" or "zh")."""
        return getattr(self, field if lang == "en" else f"{field}_{lang}")

    def explanation(self, lang="en"):
        """What really happens, the facts' sentences joined into one paragraph."""
        return ("" if lang == "zh" else " ").join(fact.text(lang) for fact in self.facts)


def _parse_facts(entry, where, problems):
    """The ``[[claim.fact]]`` tables of one claim as Facts; what is wrong goes to ``problems``."""
    raw = entry.get("fact")
    if not isinstance(raw, list) or not raw:
        problems.append(f"{where}: no [[claim.fact]]: say what really happens, with evidence")
        return ()
    facts = []
    for number, fact in enumerate(raw, 1):
        at = f"{where}: fact #{number}"
        if not isinstance(fact, dict):
            problems.append(f"{at}: must be a [[claim.fact]] table")
            continue
        found = len(problems)
        unknown = sorted(set(fact) - set(FACT_FIELDS))
        if unknown:
            problems.append(f"{at}: unknown field(s) {', '.join(unknown)}")
        en, zh = (str(fact.get(lang, "")).strip() for lang in ("en", "zh"))
        if not en:
            problems.append(f"{at}: missing en, the fact in English")
        if not _CHINESE.search(zh):
            problems.append(f"{at}: no Chinese text (zh)")
        tests, source = fact.get("tests"), fact.get("source")
        documented = fact.get("documented")
        if tests is not None and (source is not None or documented is not None):
            problems.append(
                f"{at}: two kinds of evidence: give tests, or source with documented = true,"
                " not both"
            )
        elif tests is not None:
            if (
                not isinstance(tests, list)
                or not tests
                or not all(isinstance(t, str) and t.strip() for t in tests)
            ):
                problems.append(f"{at}: tests must list the names of test functions")
            elif len(set(tests)) != len(tests):
                problems.append(f"{at}: a test is listed twice")
        elif source is not None or documented is not None:
            if not (isinstance(source, str) and source.startswith("https://")):
                problems.append(f"{at}: source must be an https:// address a reader can open")
            if documented is not True:
                problems.append(f"{at}: a source needs documented = true (documented, not tested)")
        else:
            problems.append(
                f"{at}: no evidence: give tests = [the test functions of this claim that show"
                " it], or source = URL with documented = true"
            )
        if len(problems) == found:
            facts.append(Fact(en=en, zh=zh, tests=tuple(tests or ()), source=source or ""))
    return tuple(facts)


def parse(text, source="claims.toml"):
    """Parse catalogue TOML text into an ordered ``{id: Claim}`` dict, or raise CatalogueError."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"{source}: {exc}") from None
    problems = []
    claims = {}
    for index, entry in enumerate(data.get("claim", []), 1):
        where = f"{source}: claim #{index} ({entry.get('id', 'no id')})"
        missing = [f for f in FIELDS if not str(entry.get(f, "")).strip()]
        unknown = sorted(set(entry) - set(FIELDS) - set(PITFALL_FIELDS) - {"fact"})
        pitfall = [f for f in PITFALL_FIELDS if f in entry]
        if pitfall and len(pitfall) < len(PITFALL_FIELDS):
            missing += [f for f in PITFALL_FIELDS if f not in entry]
        for field in ("observed", "observed_zh"):
            if field in entry and (
                not isinstance(entry[field], dict) or sorted(entry[field]) != sorted(METHODS)
            ):
                problems.append(f"{where}: {field} must give fork, spawn and forkserver")
                missing.append(field)
        if missing:
            problems.append(f"{where}: missing {', '.join(missing)}")
        if unknown:
            problems.append(f"{where}: unknown field(s) {', '.join(unknown)}")
        found = len(problems)
        facts = _parse_facts(entry, where, problems)
        if missing or unknown or len(problems) > found:
            continue
        if not _KEBAB.match(entry["id"]):
            problems.append(f"{where}: id must be kebab-case")
        if entry["verdict"] not in VERDICTS:
            problems.append(f"{where}: verdict must be one of {', '.join(VERDICTS)}")
        if entry["id"] in claims:
            problems.append(f"{where}: duplicate id")
        extra = {}
        if pitfall:
            for field in ("observed", "observed_zh"):
                extra[field] = tuple((m, entry[field][m].strip()) for m in METHODS)
            extra["instead"] = entry["instead"].strip()
            extra["instead_zh"] = entry["instead_zh"].strip()
        claims[entry["id"]] = Claim(**{f: entry[f].strip() for f in FIELDS}, facts=facts, **extra)
    if not claims and not problems:
        problems.append(f"{source}: no [[claim]] entries")
    if problems:
        raise CatalogueError("\n".join(problems))
    return claims


def load(path):
    with open(path, encoding="utf-8") as f:
        return parse(f.read(), source=str(path))


def check_coverage(claims, tested, complete, functions=None):
    """Problems in how tests name claims, and in the tests that facts cite.

    ``tested`` maps claim ids named by markers to the tests naming them. Unknown
    ids are always a problem; a catalogue claim without a test is one only when
    ``complete`` (the whole spec was collected, not a selection of files).
    ``functions`` maps claim ids to the names of the test functions that name
    them; when ``complete``, a fact that cites a test function that does not
    exist, or that belongs to another claim, is a problem.
    """
    problems = [
        f"test {nodeids[0]} names claim {claim_id!r}, which is not in the catalogue"
        for claim_id, nodeids in sorted(tested.items())
        if claim_id not in claims
    ]
    if complete:
        problems += [
            f"catalogue claim {claim_id!r} has no test"
            for claim_id in claims
            if claim_id not in tested
        ]
    if complete and functions is not None:
        problems += _fact_problems(claims, functions)
    return problems


def _fact_problems(claims, functions):
    owners = {}
    for claim_id, names in functions.items():
        for name in names:
            owners.setdefault(name, set()).add(claim_id)
    problems = []
    for claim in claims.values():
        for number, fact in enumerate(claim.facts, 1):
            for test in fact.tests:
                if test in functions.get(claim.id, ()):
                    continue
                where = f"catalogue claim {claim.id!r}, fact #{number}: cites {test}"
                others = sorted(owners.get(test, ()))
                if others:
                    problems.append(
                        f"{where}, a test of {', '.join(map(repr, others))}, not of this claim"
                    )
                else:
                    problems.append(f"{where}, which is not a test function of the spec")
    return problems
