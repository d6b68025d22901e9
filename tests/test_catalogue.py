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
claim_zh = "中文。"

[[claim.fact]]
en = "The next put_nowait raises queue.Full."
zh = "中文。"
tests = ["test_put_nowait_raises_full"]
"""

FACT = """
[[claim.fact]]
en = "It does."
zh = "确实如此。"
tests = ["test_it"]
"""

DOCUMENTED = """
[[claim.fact]]
en = "The documentation says so."
zh = "文档如此。"
source = "https://docs.python.org/3/library/multiprocessing.html"
documented = true
"""


def entry(*facts, pitfall="", **changes):
    """A [[claim]] table with ``changes`` to its fields (None: left out), the ``pitfall``
    fields' text, and ``facts`` (the text of its [[claim.fact]] tables; one citing test_it
    when none is given)."""
    fields = {
        "id": "queue-capacity",
        "section": "Queue",
        "claim": "Queue(n) holds n items.",
        "verdict": "holds",
        "claim_zh": "Queue(n) 容纳 n 个元素。",
    }
    fields.update(changes)
    lines = [f"{k} = {v!r}" for k, v in fields.items() if v is not None]
    table = "[[claim]]\n" + "\n".join(lines).replace("'", '"') + "\n" + pitfall
    return table + "".join(facts or [FACT])


def test_a_well_formed_catalogue_parses_in_file_order():
    claims = catalogue.parse(entry(id="b-claim") + entry(id="a-claim"))
    assert list(claims) == ["b-claim", "a-claim"]
    assert claims["a-claim"].verdict == "holds"


def test_the_project_catalogue_is_valid():
    claims = catalogue.load(SPEC / "claims.toml")
    assert "daemon-terminated-on-exit" in claims


def test_every_claim_of_the_project_has_its_chinese_text_in_chinese():
    for claim in catalogue.load(SPEC / "claims.toml").values():
        assert re.search(r"[\u4e00-\u9fff]", claim.text("claim", "zh")), claim.id
        for number, fact in enumerate(claim.facts, 1):
            assert re.search(r"[\u4e00-\u9fff]", fact.zh), (claim.id, number)


def test_every_claim_of_the_project_says_what_really_happens_with_evidence():
    for claim in catalogue.load(SPEC / "claims.toml").values():
        assert claim.facts, claim.id
        for fact in claim.facts:
            assert bool(fact.tests) != fact.documented, (claim.id, fact.en)


def test_facts_are_read_in_order_with_their_evidence():
    (claim,) = catalogue.parse(entry(FACT, DOCUMENTED)).values()
    first, second = claim.facts
    assert (first.en, first.zh, first.tests, first.documented) == (
        "It does.",
        "确实如此。",
        ("test_it",),
        False,
    )
    assert second.source == "https://docs.python.org/3/library/multiprocessing.html"
    assert second.documented
    assert second.tests == ()
    assert claim.explanation() == "It does. The documentation says so."
    assert claim.explanation("zh") == "确实如此。文档如此。"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (entry(verdict="maybe"), "verdict must be one of"),
        (entry(id="Queue_Capacity"), "kebab-case"),
        (entry(section="  "), "missing section"),
        (entry(claim_zh=None), "missing claim_zh"),
        (entry(explanation="It does."), "unknown field(s) explanation"),
        (entry() + entry(), "duplicate id"),
        (entry(colour="red"), "unknown field"),
        ("", "no [[claim]] entries"),
        ("[[claim]\n", "claims.toml"),
    ],
)
def test_a_malformed_catalogue_is_rejected_with_a_reason(text, message):
    with pytest.raises(catalogue.CatalogueError, match=re.escape(message)):
        catalogue.parse(text)


def fact(**fields):
    """A [[claim.fact]] table with these fields (strings, lists, booleans as TOML)."""
    lines = []
    for key, value in fields.items():
        if isinstance(value, bool):
            value = str(value).lower()
        elif isinstance(value, list):
            value = "[" + ", ".join(f'"{v}"' for v in value) + "]"
        else:
            value = f'"{value}"'
        lines.append(f"{key} = {value}")
    return "[[claim.fact]]\n" + "\n".join(lines) + "\n"


URL = "https://docs.python.org/3/library/os.html#os.fork"


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        ("", "claim #1 (queue-capacity): no [[claim.fact]]"),
        (fact(en="E.", zh="中。"), "fact #2: no evidence: give tests"),
        (fact(en="E.", zh="中。", tests=[]), "fact #2: tests must list the names"),
        (fact(en="E.", zh="中。", tests=["test_a", "test_a"]), "fact #2: a test is listed twice"),
        (fact(en="E.", zh="中。", source=URL), "fact #2: a source needs documented = true"),
        (fact(en="E.", zh="中。", documented=True), "fact #2: source must be an https://"),
        (fact(en="E.", zh="中。", source="spec/x.py", documented=True), "must be an https://"),
        (
            fact(en="E.", zh="中。", tests=["test_a"], source=URL, documented=True),
            "fact #2: two kinds of evidence",
        ),
        (fact(en="E.", tests=["test_a"]), "fact #2: no Chinese text (zh)"),
        (fact(en="E.", zh="  ", tests=["test_a"]), "fact #2: no Chinese text (zh)"),
        (fact(en="E.", zh="In English.", tests=["test_a"]), "fact #2: no Chinese text (zh)"),
        (fact(zh="中。", tests=["test_a"]), "fact #2: missing en"),
        (fact(en="E.", zh="中。", tests=["test_a"], why="x"), "fact #2: unknown field(s) why"),
    ],
    ids=[
        "no facts",
        "no evidence",
        "no tests",
        "a test twice",
        "source not documented",
        "documented without source",
        "source not an address",
        "two kinds of evidence",
        "no zh",
        "blank zh",
        "zh in English",
        "no en",
        "unknown field",
    ],
)
def test_a_fact_without_evidence_or_chinese_text_is_rejected(facts, message):
    # The claim's second fact is the faulty one (or, first case, the claim has none).
    text = entry(FACT, facts) if facts else entry("")
    with pytest.raises(catalogue.CatalogueError, match=re.escape(message)):
        catalogue.parse(text)


def test_a_fact_citing_a_missing_test_or_another_claim_s_is_a_problem_of_a_complete_spec():
    claims = catalogue.parse(
        entry(fact(en="A.", zh="甲。", tests=["test_a", "test_b", "test_gone"]), id="a-claim")
        + entry(fact(en="B.", zh="乙。", tests=["test_b"]), id="b-claim")
    )
    tested = {"a-claim": ["t::test_a"], "b-claim": ["t::test_b"]}
    functions = {"a-claim": {"test_a"}, "b-claim": {"test_b"}}
    assert catalogue.check_coverage(claims, tested, complete=False, functions=functions) == []
    assert catalogue.check_coverage(claims, tested, complete=True, functions=functions) == [
        "catalogue claim 'a-claim', fact #1: cites test_b, a test of 'b-claim', not of this claim",
        "catalogue claim 'a-claim', fact #1: cites test_gone, which is not a test function of "
        "the spec",
    ]


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
    (claim,) = catalogue.parse(entry(pitfall=PITFALL)).values()
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
        catalogue.parse(entry(pitfall=extra))


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
