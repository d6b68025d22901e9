"""The claim catalogue: parsing, validation, and the check against the tests."""

import re
from pathlib import Path

import pytest

from mpspec import catalogue

SPEC = Path(__file__).resolve().parent.parent / "spec"

GOOD = """
[[claim]]
id = "queue-capacity"
section = "Queue"
claim = "Queue(n) holds n items."
verdict = "holds"
explanation = "The next put_nowait raises queue.Full."
claim_zh = "中文。"
explanation_zh = "中文。"
"""


def entry(**changes):
    fields = {
        "id": "queue-capacity",
        "section": "Queue",
        "claim": "Queue(n) holds n items.",
        "verdict": "holds",
        "explanation": "It does.",
        "claim_zh": "Queue(n) 容纳 n 个元素。",
        "explanation_zh": "确实如此。",
    }
    fields.update(changes)
    lines = [f"{k} = {v!r}" for k, v in fields.items() if v is not None]
    return "[[claim]]\n" + "\n".join(lines).replace("'", '"') + "\n"


def test_a_well_formed_catalogue_parses_in_file_order():
    claims = catalogue.parse(entry(id="b-claim") + entry(id="a-claim"))
    assert list(claims) == ["b-claim", "a-claim"]
    assert claims["a-claim"].verdict == "holds"


def test_the_project_catalogue_is_valid():
    claims = catalogue.load(SPEC / "claims.toml")
    assert "daemon-terminated-on-exit" in claims


def test_every_claim_of_the_project_has_its_chinese_text_in_chinese():
    for claim in catalogue.load(SPEC / "claims.toml").values():
        for field in ("claim", "explanation"):
            assert re.search(r"[\u4e00-\u9fff]", claim.text(field, "zh")), (claim.id, field)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (entry(verdict="maybe"), "verdict must be one of"),
        (entry(id="Queue_Capacity"), "kebab-case"),
        (entry(explanation=None), "missing explanation"),
        (entry(section="  "), "missing section"),
        (entry(claim_zh=None), "missing claim_zh"),
        (entry(explanation_zh=""), "missing explanation_zh"),
        (entry() + entry(), "duplicate id"),
        (entry(colour="red"), "unknown field"),
        ("", "no [[claim]] entries"),
        ("[[claim]\n", "claims.toml"),
    ],
)
def test_a_malformed_catalogue_is_rejected_with_a_reason(text, message):
    with pytest.raises(catalogue.CatalogueError, match=re.escape(message)):
        catalogue.parse(text)


def test_a_test_naming_an_unknown_claim_is_a_problem():
    claims = catalogue.parse(GOOD)
    problems = catalogue.check_coverage(claims, {"no-such-claim": ["t::x"]}, complete=False)
    assert problems == ["test t::x names claim 'no-such-claim', which is not in the catalogue"]


def test_a_claim_without_a_test_is_a_problem_only_when_the_whole_spec_was_collected():
    claims = catalogue.parse(entry(id="a-claim") + entry(id="b-claim"))
    tested = {"a-claim": ["t::a"]}
    assert catalogue.check_coverage(claims, tested, complete=False) == []
    assert catalogue.check_coverage(claims, tested, complete=True) == [
        "catalogue claim 'b-claim' has no test"
    ]


PITFALL = """
observed = { fork = "runs", spawn = "fails", forkserver = "fails" }
observed_zh = { fork = "运行", spawn = "失败", forkserver = "失败" }
instead = "Do this."
instead_zh = "这样做。"
"""


def test_a_pitfall_gives_what_each_start_method_does_and_what_to_do_instead():
    (claim,) = catalogue.parse(entry() + PITFALL).values()
    assert claim.is_pitfall
    assert claim.observed == (("fork", "runs"), ("spawn", "fails"), ("forkserver", "fails"))
    assert claim.instead_zh == "这样做。"
    assert not next(iter(catalogue.parse(GOOD).values())).is_pitfall


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('observed = { fork = "runs" }\n', "observed must give fork, spawn and forkserver"),
        (PITFALL.replace('instead_zh = "这样做。"\n', ""), "missing instead_zh"),
    ],
)
def test_a_pitfall_lacking_a_method_or_a_language_is_rejected(extra, message):
    with pytest.raises(catalogue.CatalogueError, match=re.escape(message)):
        catalogue.parse(entry() + extra)


VERDICT_STATED = re.compile(
    r"(?:^|[.:;]\s+)(?:(?:All|Both) hold|Holds?|Refuted|Depends)\b"
    r"|\((?:holds|refuted|depends)\b[^)]*\)"
)


def verdicts_stated_in(text):
    """Sentences of ``text`` that state a verdict, which only the catalogue may do."""
    return [m.group(0).strip(" .:;") for m in VERDICT_STATED.finditer(text)]


def test_a_docstring_stating_a_verdict_is_recognised():
    assert verdicts_stated_in("The tutorial says so. Holds, with a caveat.") == ["Holds"]
    assert verdicts_stated_in("A queue is safe (holds), and so on.") == ["(holds)"]
    assert verdicts_stated_in("Refuted as stated.") == ["Refuted"]
    assert verdicts_stated_in("It waits. All hold.") == ["All hold"]
    assert verdicts_stated_in("a process that holds a Lock; it depends on it") == []


@pytest.mark.parametrize("module", sorted(SPEC.glob("test_*.py")), ids=lambda p: p.name)
def test_spec_module_docstrings_leave_verdicts_to_the_catalogue(module):
    """A verdict written twice drifts: the catalogue (and the book made from it) holds it."""
    import ast

    docstring = ast.get_docstring(ast.parse(module.read_text(encoding="utf-8"))) or ""
    assert verdicts_stated_in(docstring) == []
