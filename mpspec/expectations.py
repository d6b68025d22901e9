"""Declared deviations: where an implementation or interpreter really behaves
differently from what the spec asserts for CPython's ``multiprocessing``.

``spec/expectations/<module>.toml`` holds the deviations of the implementation
``--mp-impl <module>``. Each ``[[deviation]]`` table has:

``claim``          the catalogue claim id
``start_methods``  the start methods it happens under (default: all)
``tests``          optional test-name patterns (``*`` is the only wildcard,
                   matched against the whole name with its ``[params]``);
                   default: every test of the claim
``python``         optional version specifier, e.g. ``">=3.12"`` or ``">=3.9,<3.11"``
``interpreter``    optional ``platform.python_implementation()`` name, lower case
                   (``cpython``, ``pypy``)
``platform``       optional ``sys.platform`` value
``implementation_version``  optional version specifier for the implementation's
                   ``__version__``, e.g. ``"<4.4"``: the versions the deviation was
                   found in. Where the version is unknown, the entry does not apply.
``actual``         what happens instead
``reason``         why, with ``link`` (optional) to the upstream issue or code
``raises``         optional exception name the test fails with (default: an
                   assertion failing, or ``pytest.raises`` finding nothing)

The plugin marks the matching tests ``xfail(strict=True)``: the deviation shows
as "deviates (expected)", and a test that passes after all fails the run, so an
entry cannot go stale unnoticed.
"""

import builtins
import platform
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from packaging.specifiers import InvalidSpecifier, SpecifierSet

try:
    import tomllib
except ImportError:  # Python < 3.11
    import tomli as tomllib

from mpspec.runtime.impl import START_METHODS

REQUIRED = ("claim", "actual", "reason")
OPTIONAL = (
    "start_methods",
    "tests",
    "python",
    "interpreter",
    "platform",
    "implementation_version",
    "link",
    "raises",
)


class ExpectationsError(ValueError):
    """An expectations file is malformed."""


@dataclass(frozen=True)
class Deviation:
    claim: str
    actual: str
    reason: str
    start_methods: tuple = START_METHODS
    tests: tuple = ()
    python: str = ""
    interpreter: str = ""
    platform: str = ""
    implementation_version: str = ""
    link: str = ""
    raises: str = ""

    def applies_here(self, python=None, interpreter=None, plat=None, version=None):
        """Whether the conditions hold: Python version, interpreter, platform, and
        ``version``, the implementation's own (None: unknown)."""
        python = python or platform.python_version()
        interpreter = interpreter or platform.python_implementation().lower()
        plat = plat or sys.platform
        if self.python and not SpecifierSet(self.python).contains(python, prereleases=True):
            return False
        if self.implementation_version and not (
            version
            and SpecifierSet(self.implementation_version).contains(version, prereleases=True)
        ):
            return False
        if self.interpreter and self.interpreter != interpreter:
            return False
        return not self.platform or self.platform == plat

    def matches(self, claim, start_method, test_name):
        """Whether this deviation covers one test of one claim under one start method."""
        if claim != self.claim or start_method not in self.start_methods:
            return False
        return not self.tests or any(_pattern(p).fullmatch(test_name) for p in self.tests)

    def exceptions(self):
        """The exception classes the deviating test is expected to fail with."""
        import pytest

        if not self.raises:
            return (AssertionError, pytest.fail.Exception)
        return (getattr(builtins, self.raises),)


def _pattern(text):
    return re.compile(".*".join(re.escape(part) for part in text.split("*")))


def parse(text, source="expectations.toml", claims=None):
    """Parse an expectations file into a list of Deviation, or raise ExpectationsError.

    With ``claims`` (the catalogue), an unknown claim id is an error too.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ExpectationsError(f"{source}: {exc}") from None
    problems = []
    deviations = []
    unknown_tables = sorted(set(data) - {"deviation"})
    if unknown_tables:
        problems.append(f"{source}: unknown table(s) {', '.join(unknown_tables)}")
    for index, entry in enumerate(data.get("deviation", []), 1):
        where = f"{source}: deviation #{index} ({entry.get('claim', 'no claim')})"
        entry_problems = _check(entry, claims)
        problems += [f"{where}: {p}" for p in entry_problems]
        if not entry_problems:
            fields = {k: v.strip() if isinstance(v, str) else tuple(v) for k, v in entry.items()}
            deviations.append(Deviation(**fields))
    if problems:
        raise ExpectationsError("\n".join(problems))
    return deviations


def _check(entry, claims):
    problems = []
    missing = [f for f in REQUIRED if not str(entry.get(f, "")).strip()]
    if missing:
        problems.append(f"missing {', '.join(missing)}")
    unknown = sorted(set(entry) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        problems.append(f"unknown field(s) {', '.join(unknown)}")
    if claims is not None and entry.get("claim") and entry["claim"] not in claims:
        problems.append("no such claim in the catalogue")
    methods = entry.get("start_methods", START_METHODS)
    if not methods or not set(methods) <= set(START_METHODS):
        problems.append(f"start_methods must be a non-empty list of {', '.join(START_METHODS)}")
    if not isinstance(entry.get("tests", []), list):
        problems.append("tests must be a list of test-name patterns")
    for field in ("python", "implementation_version"):
        if entry.get(field):
            try:
                SpecifierSet(entry[field])
            except InvalidSpecifier:
                problems.append(f"{field}: not a version specifier: {entry[field]!r}")
    if entry.get("raises") and not isinstance(getattr(builtins, entry["raises"], None), type):
        problems.append(f"raises: not a built-in exception: {entry['raises']!r}")
    return problems


def path_for(spec_dir, impl_name):
    """Where the expectations of an implementation live."""
    return Path(spec_dir, "expectations", f"{impl_name}.toml")


def load(spec_dir, impl_name, claims=None):
    """The deviations declared for ``impl_name`` (all of them, applicable here or not)."""
    path = path_for(spec_dir, impl_name)
    if not path.exists():
        return []
    return parse(path.read_text(encoding="utf-8"), str(path), claims)
