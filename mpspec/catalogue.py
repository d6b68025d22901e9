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

The ``section`` is the id of a ``[[section]]`` table at the top of the file:
the tutorial section's ``id``, English and Chinese titles (``en``, ``zh``), its
``subsections`` (each an ``id``, ``en`` and ``zh``; a claim may name one), and
``tutorial = false`` for the one that is not the tutorial's (the Python
documentation's).

Optional per-claim facts (:data:`OPTIONAL_FIELDS`), so that every fact about a
claim lives with it:

``no_standin``        why no broken stand-in (``tests/standins/``) can break the claim
``no_standin_tests``  ``[{ test, reason }]``: tests of the claim that no stand-in can fail
``standin_wanted``    ``[{ test, change }]``: tests a stand-in still to be written would
                      fail, and what it would change
``not_applicable``    ``[{ start_methods, tests, platforms, except_platforms, reason }]``:
                      where the claim's tests cannot apply. ``tests`` are test-function
                      names (``*`` is the only wildcard; default: every test of the
                      claim), ``start_methods`` default to all, ``platforms`` are the
                      ``sys.platform`` values (patterns too) where it does not apply,
                      ``except_platforms`` the only ones where it does; neither: anywhere.
                      The plugin skips the matching tests as "n/a: reason" and the book
                      lists them.
"""

import re
import sys
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
# A start-method pitfall (the book's "Moving off fork" chapter) says what to do instead
# (``instead``), in both languages. What each start method does with it is not written
# here: the book takes it from what the published runs' tests observed.
PITFALL_FIELDS = ("instead", "instead_zh")
METHODS = START_METHODS  # listed once, in the runtime (the lowest room)
OPTIONAL_FIELDS = ("no_standin", "no_standin_tests", "standin_wanted", "not_applicable")
SECTION_FIELDS = ("id", "en", "zh")
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
    instead: str = ""
    instead_zh: str = ""
    no_standin: str = ""
    no_standin_tests: tuple = ()  # ((test, reason), ...)
    standin_wanted: tuple = ()  # ((test, change), ...)
    not_applicable: tuple = ()  # (NotApplicable, ...)

    def not_applicable_to(self, test, start_method, platform=None):
        """The first NotApplicable entry covering this test function under this start method
        on ``platform`` (default: this one), or None."""
        for entry in self.not_applicable:
            if entry.covers(test, start_method, platform or sys.platform):
                return entry
        return None

    @property
    def is_pitfall(self):
        return bool(self.instead)

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


@dataclass(frozen=True)
class Section:
    """A tutorial section (or subsection, with its ``parent``), as the book titles it."""

    id: str
    en: str
    zh: str
    parent: "Section | None" = None
    tutorial: bool = True  # False: the Python documentation, not the tutorial


@dataclass(frozen=True)
class NotApplicable:
    """Where some of a claim's tests cannot apply, and why."""

    reason: str
    start_methods: tuple = START_METHODS
    tests: tuple = ()  # test-function name patterns; () is every test of the claim
    platforms: tuple = ()  # sys.platform patterns where it does not apply
    except_platforms: tuple = ()  # sys.platform patterns, the only ones where it applies

    def covers(self, test, start_method, platform):
        """Whether the test function ``test`` cannot apply under ``start_method`` on
        ``platform`` (a ``sys.platform`` value)."""
        if start_method not in self.start_methods:
            return False
        if self.tests and not any(_pattern(p).fullmatch(test) for p in self.tests):
            return False
        if self.platforms and not any(_pattern(p).fullmatch(platform) for p in self.platforms):
            return False
        return not any(_pattern(p).fullmatch(platform) for p in self.except_platforms)


def _pattern(text):
    return re.compile(".*".join(re.escape(part) for part in text.split("*")))


_NA_FIELDS = ("reason", "start_methods", "tests", "platforms", "except_platforms")


def _sections(data, source, problems):
    """``{id: Section}`` of the ``[[section]]`` tables, subsections included."""
    sections = {}

    def add(entry, where, parent=None):
        missing = [f for f in SECTION_FIELDS if not str(entry.get(f, "")).strip()]
        allowed = {*SECTION_FIELDS, *(() if parent else ("subsections", "tutorial"))}
        unknown = sorted(set(entry) - allowed)
        if missing or unknown:
            problems.append(
                f"{where}: "
                + "; ".join(
                    ([f"missing {', '.join(missing)}"] if missing else [])
                    + ([f"unknown field(s) {', '.join(unknown)}"] if unknown else [])
                )
            )
            return None
        if entry["id"] in sections:
            problems.append(f"{where}: duplicate section id")
        section = Section(
            entry["id"],
            entry["en"].strip(),
            entry["zh"].strip(),
            parent,
            tutorial=bool(entry.get("tutorial", True)),
        )
        sections[section.id] = section
        return section

    for index, entry in enumerate(data.get("section", []), 1):
        where = f"{source}: section #{index} ({entry.get('id', 'no id')})"
        section = add(entry, where)
        for sub in entry.get("subsections", []) if section else ():
            add(sub, f"{where}: subsection {sub.get('id', 'no id')}", section)
    return sections


def _optional(entry, where, problems):
    """The optional per-claim facts of one entry, checked: ``{field: value}``."""
    out = {}
    if "no_standin" in entry:
        if not isinstance(entry["no_standin"], str) or not entry["no_standin"].strip():
            problems.append(f"{where}: no_standin must say why, in a string")
        else:
            out["no_standin"] = entry["no_standin"].strip()
    for field, keys in (
        ("no_standin_tests", ("test", "reason")),
        ("standin_wanted", ("test", "change")),
    ):
        rows = entry.get(field, [])
        if not isinstance(rows, list) or not all(
            isinstance(r, dict)
            and sorted(r) == sorted(keys)
            and all(str(r[k]).strip() for k in keys)
            for r in rows
        ):
            problems.append(f"{where}: {field} must be a list of {{ {', '.join(keys)} }} tables")
        elif rows:
            out[field] = tuple((r[keys[0]].strip(), r[keys[1]].strip()) for r in rows)
    entries = []
    for n, row in enumerate(entry.get("not_applicable", []), 1):
        at = f"{where}: not_applicable #{n}"
        if not isinstance(row, dict):
            problems.append(f"{at}: must be a table")
            continue
        unknown = sorted(set(row) - set(_NA_FIELDS))
        if unknown:
            problems.append(f"{at}: unknown field(s) {', '.join(unknown)}")
        if not str(row.get("reason", "")).strip():
            problems.append(f"{at}: missing reason")
        methods = row.get("start_methods", list(METHODS))
        if not methods or not set(methods) <= set(METHODS):
            problems.append(f"{at}: start_methods must be a non-empty list of {', '.join(METHODS)}")
        if row.get("platforms") and row.get("except_platforms"):
            problems.append(f"{at}: give platforms or except_platforms, not both")
        lists = ("tests", "platforms", "except_platforms")
        if any(not isinstance(row.get(f, []), list) for f in lists):
            problems.append(f"{at}: {', '.join(lists)} must be lists")
            continue
        entries.append(
            NotApplicable(
                str(row.get("reason", "")).strip(),
                tuple(m for m in METHODS if m in methods),
                *(tuple(row.get(f, [])) for f in lists),
            )
        )
    if entries:
        out["not_applicable"] = tuple(entries)
    return out


def _toml(text, source):
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"{source}: {exc}") from None


def parse_sections(text, source="claims.toml"):
    """The ``[[section]]`` tables of catalogue TOML text, as ``{id: Section}``."""
    data = _toml(text, source)
    problems = []
    sections = _sections(data, source, problems)
    if problems:
        raise CatalogueError("\n".join(problems))
    return sections


def parse(text, source="claims.toml"):
    """Parse catalogue TOML text into an ordered ``{id: Claim}`` dict, or raise CatalogueError."""
    data = _toml(text, source)
    problems = []
    claims = {}
    sections = _sections(data, source, problems)
    for index, entry in enumerate(data.get("claim", []), 1):
        where = f"{source}: claim #{index} ({entry.get('id', 'no id')})"
        missing = [f for f in FIELDS if not str(entry.get(f, "")).strip()]
        unknown = sorted(
            set(entry) - set(FIELDS) - set(PITFALL_FIELDS) - set(OPTIONAL_FIELDS) - {"fact"}
        )
        pitfall = [f for f in PITFALL_FIELDS if f in entry]
        if pitfall and len(pitfall) < len(PITFALL_FIELDS):
            missing += [f for f in PITFALL_FIELDS if f not in entry]
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
        if entry["section"] not in sections:
            problems.append(
                f"{where}: section {entry['section']!r} is not the id of a [[section]] "
                "or of one of its subsections"
            )
        extra = _optional(entry, where, problems)
        if pitfall:
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


def load_sections(path):
    """The sections of the catalogue at ``path`` (its claims name them): ``{id: Section}``."""
    with open(path, encoding="utf-8") as f:
        return parse_sections(f.read(), source=str(path))


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
