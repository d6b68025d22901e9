"""Expectations files: parsing, matching tests, and conditions."""

from pathlib import Path

import pytest

from mpspec import catalogue, expectations

ROOT = Path(__file__).resolve().parent.parent

ENTRY = """
[[deviation]]
claim = "exit-codes"
start_methods = ["forkserver"]
tests = ["test_exit_code[*-sys.exit(message)]"]
python = ">=3.12"
interpreter = "cpython"
actual = "Exit code 0."
reason = "Because."
"""


def one(text=ENTRY):
    (deviation,) = expectations.parse(text)
    return deviation


def test_a_deviation_matches_its_claim_methods_and_test_pattern_only():
    d = one()
    assert d.matches("exit-codes", "forkserver", "test_exit_code[forkserver-sys.exit(message)]")
    assert not d.matches("exit-codes", "fork", "test_exit_code[fork-sys.exit(message)]")
    assert not d.matches("exit-codes", "forkserver", "test_exit_code[forkserver-sys.exit(3)]")
    assert not d.matches("join-waits", "forkserver", "test_exit_code[forkserver-sys.exit(message)]")


def test_brackets_in_a_test_pattern_are_literal_and_star_is_the_only_wildcard():
    d = one(ENTRY.replace("test_exit_code[*-sys.exit(message)]", "test_x[a]"))
    assert d.matches("exit-codes", "forkserver", "test_x[a]")
    assert not d.matches("exit-codes", "forkserver", "test_xa")  # not a character class


def test_without_tests_a_deviation_covers_every_test_of_the_claim_under_all_methods():
    d = one('[[deviation]]\nclaim = "exit-codes"\nactual = "a"\nreason = "r"\n')
    assert d.start_methods == ("fork", "spawn", "forkserver")
    assert d.matches("exit-codes", "spawn", "test_anything[spawn]")


@pytest.mark.parametrize(
    ("python", "interpreter", "plat", "applies"),
    [
        ("3.12.1", "cpython", "linux", True),
        ("3.11.7", "cpython", "linux", False),
        ("3.13.0", "pypy", "linux", False),
    ],
)
def test_conditions_select_where_a_deviation_applies(python, interpreter, plat, applies):
    assert one().applies_here(python, interpreter, plat) is applies


def test_an_implementation_version_condition_needs_a_known_matching_version():
    d = one(ENTRY.replace('interpreter = "cpython"', 'implementation_version = "<4.4"'))
    assert d.applies_here("3.12.0", "cpython", "linux", version="4.3.2")
    assert not d.applies_here("3.12.0", "cpython", "linux", version="4.4.0")  # fixed upstream
    assert not d.applies_here("3.12.0", "cpython", "linux", version=None)  # unknown


def test_a_platform_condition_must_match_sys_platform():
    d = one(ENTRY.replace('interpreter = "cpython"', 'platform = "darwin"'))
    assert not d.applies_here("3.12.0", "cpython", "linux")
    assert d.applies_here("3.12.0", "cpython", "darwin")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('actual = "Exit code 0."\n', ""), "missing actual"),
        (('python = ">=3.12"', 'python = "three"'), "not a version specifier"),
        (('python = ">=3.12"', 'implementation_version = "x"'), "implementation_version: not a"),
        (('["forkserver"]', '["vfork"]'), "start_methods must be"),
        (('interpreter = "cpython"', 'colour = "red"'), "unknown field(s) colour"),
        (('python = ">=3.12"', 'raises = "NoSuchError"'), "not a built-in exception"),
    ],
)
def test_malformed_entries_are_reported_with_their_position(change, message):
    with pytest.raises(expectations.ExpectationsError, match=r"deviation #1 \(exit-codes\)") as e:
        expectations.parse(ENTRY.replace(*change))
    assert message in str(e.value)


def test_an_unknown_claim_id_is_an_error_when_the_catalogue_is_given():
    with pytest.raises(expectations.ExpectationsError, match="no such claim"):
        expectations.parse(ENTRY, claims={"join-waits": None})


def test_a_file_that_is_not_toml_or_has_other_tables_is_rejected():
    with pytest.raises(expectations.ExpectationsError, match=r"billiard\.toml: "):
        expectations.parse("[[deviation]\n", "billiard.toml")
    with pytest.raises(expectations.ExpectationsError, match=r"unknown table\(s\) deviations"):
        expectations.parse(ENTRY.replace("[[deviation]]", "[[deviations]]"))


def test_tests_must_be_a_list_of_patterns():
    with pytest.raises(expectations.ExpectationsError, match="tests must be a list"):
        expectations.parse(ENTRY.replace('["test_exit_code[*-sys.exit(message)]"]', '"t[*]"'))


def test_a_declared_exception_replaces_the_default_assertion_failure():
    assert one().exceptions() == (AssertionError, pytest.fail.Exception)
    assert one(ENTRY + 'raises = "AttributeError"\n').exceptions() == (AttributeError,)


@pytest.mark.parametrize("path", sorted((ROOT / "spec" / "expectations").glob("*.toml")))
def test_every_committed_expectations_file_is_valid_against_the_catalogue(path):
    claims = catalogue.load(ROOT / "spec" / "claims.toml")
    assert expectations.parse(path.read_text(encoding="utf-8"), str(path), claims)
