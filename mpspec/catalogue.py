"""The claim catalogue: ``spec/claims.toml``, loaded and validated.

Each ``[[claim]]`` table has an ``id`` (kebab-case, stable), the tutorial
``section`` it comes from (or ``python-docs``), the ``claim`` restated in our
own words, a ``verdict`` and an ``explanation`` of what really happens, and
the claim and explanation in Chinese too (``claim_zh``, ``explanation_zh``):
a claim that lacks either language is an error.
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


FIELDS = ("id", "section", "claim", "verdict", "explanation", "claim_zh", "explanation_zh")
# A start-method pitfall (the book's "Moving off fork" chapter) also says, per start
# method, what happens (``observed``: a table with keys fork, spawn and forkserver),
# and what to do instead (``instead``), in both languages.
PITFALL_FIELDS = ("observed", "observed_zh", "instead", "instead_zh")
METHODS = START_METHODS  # listed once, in the runtime (the lowest room)
_KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class CatalogueError(ValueError):
    """The catalogue file is malformed."""


@dataclass(frozen=True)
class Claim:
    id: str
    section: str
    claim: str
    verdict: str
    explanation: str
    claim_zh: str
    explanation_zh: str
    observed: tuple = ()  # ((method, text), ...) for a start-method pitfall
    observed_zh: tuple = ()
    instead: str = ""
    instead_zh: str = ""

    @property
    def is_pitfall(self):
        return bool(self.observed)

    def text(self, field, lang="en"):
        """``claim`` or ``explanation`` in ``lang`` ("en" or "zh")."""
        return getattr(self, field if lang == "en" else f"{field}_{lang}")


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
        unknown = sorted(set(entry) - set(FIELDS) - set(PITFALL_FIELDS))
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
        if missing or unknown:
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
        claims[entry["id"]] = Claim(**{f: entry[f].strip() for f in FIELDS}, **extra)
    if not claims and not problems:
        problems.append(f"{source}: no [[claim]] entries")
    if problems:
        raise CatalogueError("\n".join(problems))
    return claims


def load(path):
    with open(path, encoding="utf-8") as f:
        return parse(f.read(), source=str(path))


def check_coverage(claims, tested, complete):
    """Problems in how tests name claims.

    ``tested`` maps claim ids named by markers to the tests naming them. Unknown
    ids are always a problem; a catalogue claim without a test is one only when
    ``complete`` (the whole spec was collected, not a selection of files).
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
    return problems
