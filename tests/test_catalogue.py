"""The claim catalogue: parsing, validation, and the check against the tests."""

import re
from pathlib import Path

import pytest

from mpspec import catalogue

SPEC = Path(__file__).resolve().parent.parent / "spec"

# The section the claims below name (a catalogue lists its sections first).
SECTION = """
[[section]]
id = "Queue"
en = "Queue"
zh = "队列"
subsections = [{ id = "joining", en = "joining", zh = "等待" }]
"""

GOOD = (
    SECTION
    + """
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
)

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


def entry(*facts, extra="", **changes):
    """A [[claim]] table with ``changes`` to its fields (None: left out), ``extra`` text
    (more claim fields: a pitfall's, a stand-in's), and ``facts`` (the text of its
    [[claim.fact]] tables; one citing test_it when none is given)."""
    fields = {
        "id": "queue-capacity",
        "section": "Queue",
        "claim": "Queue(n) holds n items.",
        "verdict": "holds",
        "claim_zh": "Queue(n) 容纳 n 个元素。",
    }
    fields.update(changes)
    lines = [f"{k} = {v!r}" for k, v in fields.items() if v is not None]
    table = "[[claim]]\n" + "\n".join(lines).replace("'", '"') + "\n" + extra
    return table + "".join(facts or [FACT])


def parse(text):
    """``text`` parsed as a catalogue whose [[section]] list is SECTION."""
    return catalogue.parse(SECTION + text)


def test_a_well_formed_catalogue_parses_in_file_order():
    claims = parse(entry(id="b-claim") + entry(id="a-claim"))
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
    (claim,) = parse(entry(FACT, DOCUMENTED)).values()
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
        (entry(section="queue"), "section 'queue' is not the id of a [[section]]"),
        ("", "no [[claim]] entries"),
        ("[[claim]\n", "claims.toml"),
        ('[[section]]\nid = "s"\nen = "S"\n' + entry(), "section #2 (s): missing zh"),
        ('[[section]]\nid = "Queue"\nen = "Q"\nzh = "队"\n' + entry(), "duplicate section id"),
        (entry(extra='no_standin = " "\n'), "no_standin must say why"),
        (entry(extra='standin_wanted = [{ test = "test_a" }]\n'), "standin_wanted must be a list"),
        (entry(extra='no_standin_tests = ["test_a"]\n'), "no_standin_tests must be a list"),
        (entry(extra='not_applicable = [{ tests = ["test_a"] }]\n'), "missing reason"),
        (
            entry(extra='not_applicable = [{ start_methods = ["vfork"], reason = "r" }]\n'),
            "start_methods must be a non-empty list",
        ),
        (
            entry(
                extra='not_applicable = [{ platforms = ["a"], except_platforms = ["b"], '
                'reason = "r" }]\n'
            ),
            "platforms or except_platforms, not both",
        ),
        (entry(extra='not_applicable = [{ python = "<3.12", reason = "r" }]\n'), "unknown field"),
    ],
)
def test_a_malformed_catalogue_is_rejected_with_a_reason(text, message):
    with pytest.raises(catalogue.CatalogueError, match=re.escape(message)):
        parse(text)


def test_a_claim_names_a_section_or_a_subsection_which_knows_its_parent():
    claims = parse(entry(id="a-claim") + entry(id="b-claim", section="joining"))
    assert [c.section for c in claims.values()] == ["Queue", "joining"]
    sections = catalogue.parse_sections(GOOD)
    assert sections["joining"].parent == sections["Queue"]
    assert (sections["joining"].en, sections["joining"].zh) == ("joining", "等待")
    assert sections["Queue"].parent is None
    assert sections["Queue"].tutorial


def test_the_standin_facts_stay_with_the_claim():
    (claim,) = parse(
        entry(
            extra='no_standin = " the kernel "\n'
            + 'no_standin_tests = [{ test = "test_a", reason = "r" }]\n'
            + 'standin_wanted = [{ test = "test_b", change = "c" }]\n'
        )
    ).values()
    assert claim.no_standin == "the kernel"
    assert claim.no_standin_tests == (("test_a", "r"),)
    assert claim.standin_wanted == (("test_b", "c"),)


NOT_APPLICABLE = """not_applicable = [
  { start_methods = ["forkserver"], tests = ["test_zombie_*"], reason = "no zombie" },
  { tests = ["test_unix_half"], platforms = ["win32"], reason = "Unix only" },
  { except_platforms = ["linux", "freebsd*"], reason = "reads /proc" },
]
"""


@pytest.mark.parametrize(
    ("test", "method", "platform", "reason"),
    [
        ("test_zombie_holds_no_memory", "forkserver", "linux", "no zombie"),
        ("test_zombie_holds_no_memory", "fork", "linux", None),
        ("test_a_zombie", "forkserver", "linux", None),  # the pattern is the whole name
        ("test_unix_half", "spawn", "win32", "Unix only"),
        ("test_unix_half", "spawn", "linux", None),
        ("test_other", "fork", "darwin", "reads /proc"),
        ("test_other", "fork", "freebsd14", None),
        ("test_other", "fork", "linux", None),
    ],
)
def test_not_applicable_covers_the_tests_methods_and_platforms_it_names(
    test, method, platform, reason
):
    (claim,) = parse(entry(extra=NOT_APPLICABLE)).values()
    found = claim.not_applicable_to(test, method, platform)
    assert (found.reason if found else None) == reason


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
        parse(text)


def test_a_fact_citing_a_missing_test_or_another_claim_s_is_a_problem_of_a_complete_spec():
    claims = parse(
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
    claims = parse(entry(id="a-claim") + entry(id="b-claim"))
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
    (claim,) = parse(entry(extra=PITFALL)).values()
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
        parse(entry(extra=extra))


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


NA_PROJECT_TESTS = """
import pytest
pytestmark = pytest.mark.claim("queue-capacity")

def test_everywhere(start_method):
    pass

def test_not_under_forkserver(start_method):
    assert start_method != "forkserver"

@pytest.mark.parametrize("size", [1, 2])
def test_only_on_another_platform(size, start_method):
    assert False, "must not run here"
"""


def test_the_plugin_skips_what_the_catalogue_declares_not_applicable_with_its_reason(
    pytester, monkeypatch
):
    import json
    import os
    import sys

    for name in list(os.environ):
        if name.startswith(("PYTEST_", "MPSPEC_")):
            monkeypatch.delenv(name)
    pytester.mkdir("spec")
    (pytester.path / "spec" / "claims.toml").write_text(
        SECTION
        + entry(
            FACT.replace("test_it", "test_everywhere"),
            extra="not_applicable = [\n"
            + '  { start_methods = ["forkserver"], tests = ["test_not_*"], '
            + 'reason = "no server" },\n'
            + f'  {{ tests = ["test_only_*"], except_platforms = ["{sys.platform}x"], '
            + 'reason = "elsewhere" },\n]\n',
        ),
        encoding="utf-8",
    )
    (pytester.path / "spec" / "test_q.py").write_text(NA_PROJECT_TESTS)
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "-p", "no:xdist", "--claims-json=c.json", timeout=45
    )
    result.assert_outcomes(passed=5, skipped=7)
    reasons = {
        r["test"].partition("::")[2]: r["reason"]
        for r in json.loads((pytester.path / "c.json").read_text())["results"]
        if r["outcome"] == "skipped"
    }
    assert reasons == {
        "test_not_under_forkserver[forkserver]": "n/a: no server",
        **{
            f"test_only_on_another_platform[{m}-{size}]": "n/a: elsewhere"
            for m in ("fork", "spawn", "forkserver")
            for size in (1, 2)
        },
    }


# --- Adding a claim: the README's checklist, checked -------------------------------------

ROOT = SPEC.parent
TARGETS = ROOT / "mpspec" / "runtime" / "targets"
STANDINS = ROOT / "tests" / "standins"


def declared_breaks(standins_dir):
    """The claims the broken stand-ins in ``standins_dir`` declare they break (BREAKS)."""
    import ast

    found = set()
    for path in sorted(Path(standins_dir).glob("broken_*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and [t.id for t in node.targets] == ["BREAKS"]:
                found |= set(ast.literal_eval(node.value))
    return found


def targets_imported(source):
    """The modules of mpspec.runtime.targets that a spec module's source imports."""
    import ast

    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module == "mpspec.runtime.targets":
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "mpspec.runtime.targets."
        ):
            found.add(node.module.split(".")[3])
        elif isinstance(node, ast.Import):
            found |= {
                a.name.split(".")[3]
                for a in node.names
                if a.name.startswith("mpspec.runtime.targets.")
            }
    return found


def serves(module, topic):
    """Whether targets/<module>.py may serve spec/test_<topic>.py: it is ``common``, or
    named after the topic (``<topic>``, or ``<topic>_<what>`` for a module a process
    imports by name), or after a group of topics it begins (``queue`` could serve
    test_queue_capacity and test_queue_processes)."""
    return (
        module in ("common", topic)
        or module.startswith(topic + "_")
        or topic.startswith(module + "_")
    )


def misnamed_targets(targets_dir, spec_dir):
    """Modules of the targets package named after no spec module."""
    topics = [p.stem.removeprefix("test_") for p in Path(spec_dir).glob("test_*.py")]
    return sorted(
        p.name
        for p in Path(targets_dir).glob("*.py")
        if p.stem not in ("__init__", "common") and not any(serves(p.stem, t) for t in topics)
    )


def checklist(claims, tests, breaks, root, targets_dir=TARGETS):
    """What each claim in ``claims`` lacks of the README's "Adding a claim" checklist, one
    line per missing piece, naming the claim and the piece. ``tests`` are the collected
    spec tests (outcomes.SpecTest), ``breaks`` the claims some broken stand-in breaks,
    ``root`` the project (its spec/ and docs/). The catalogue entry's own facts are
    checked by catalogue.parse, which refuses a claim without them."""
    root = Path(root)
    problems = [
        f"{name} in {targets_dir} is named after no spec module: name it after the "
        "spec module whose tests run it (or put it in common.py)"
        for name in misnamed_targets(targets_dir, root / "spec")
    ]
    books = {lang: (root / "docs" / f"book.{lang}.md") for lang in ("en", "zh")}
    books = {lang: p.read_text(encoding="utf-8") if p.exists() else "" for lang, p in books.items()}
    for claim in claims.values():
        own = [t for t in tests if t.claim == claim.id]
        if not own:
            problems.append(
                f"claim {claim.id!r}: no spec test: name it with "
                f"@pytest.mark.claim({claim.id!r}) in spec/test_<topic>.py"
            )
        for path in sorted({t.path for t in own}):
            topic = Path(path).stem.removeprefix("test_")
            source = (root / path).read_text(encoding="utf-8")
            for module in sorted(targets_imported(source)):
                if not serves(module, topic):
                    problems.append(
                        f"claim {claim.id!r}: {path} takes child targets from "
                        f"targets/{module}.py: put them in targets/{topic}.py (or common.py)"
                    )
                elif not (Path(targets_dir) / f"{module}.py").exists():
                    problems.append(
                        f"claim {claim.id!r}: {path} imports targets/{module}.py, "
                        "which does not exist"
                    )
        if claim.id not in breaks and not claim.no_standin:
            problems.append(
                f"claim {claim.id!r}: no broken stand-in: add one to tests/standins/ "
                "(BREAKS) or say why none can break it (no_standin in the catalogue)"
            )
        for lang, text in books.items():
            if f"\n### {claim.id}\n" not in text:
                problems.append(
                    f"claim {claim.id!r}: not in docs/book.{lang}.md: regenerate the book "
                    "(python -m mpspec book)"
                )
    return problems


def test_every_claim_of_the_project_has_every_piece_of_the_checklist():
    from mpspec.tools import book

    claims = catalogue.load(SPEC / "claims.toml")
    tests = book.spec_tests(ROOT)
    assert checklist(claims, tests, declared_breaks(STANDINS), ROOT) == []


NEW_CLAIM = """
[[claim]]
id = "new-claim"
section = "Queue"
no_standin = "the kernel"
claim = "A new claim."
verdict = "holds"
claim_zh = "新论断。"

[[claim.fact]]
en = "It holds."
zh = "成立。"
tests = ["test_new"]
"""

NEW_TEST = """
import pytest
from mpspec.runtime.targets import common, newtopic

@pytest.mark.claim("new-claim")
def test_new(call_in_child):
    assert call_in_child(newtopic.report) == "ok"
"""


def new_claim_project(tmp_path, missing):
    """A project that adds new-claim with every piece of the checklist but ``missing``:
    the claims to check, the collected tests, the claims stand-ins break, its root and
    its targets folder."""
    from mpspec.outcomes import SpecTest

    text = SECTION + NEW_CLAIM
    if missing == "no_standin reason":
        text = text.replace('no_standin = "the kernel"\n', "")
    if missing == "Chinese text":
        text = text.replace('claim_zh = "新论断。"\n', "")
    claims = catalogue.parse(text)
    (tmp_path / "spec").mkdir()
    source = NEW_TEST
    if missing == "target in its topic's module":
        source = source.replace("common, newtopic", "common, othertopic").replace(
            "newtopic.", "othertopic."
        )
    (tmp_path / "spec" / "test_newtopic.py").write_text(source, encoding="utf-8")
    (tmp_path / "spec" / "test_othertopic.py").write_text("", encoding="utf-8")
    targets = tmp_path / "targets"
    targets.mkdir()
    for name in ("common", "newtopic", "othertopic"):
        (targets / f"{name}.py").write_text("", encoding="utf-8")
    if missing == "targets named after a spec module":
        (targets / "lifecycle.py").write_text("", encoding="utf-8")
    tests = [SpecTest("new-claim", "test_new", "", "spec/test_newtopic.py", 4)]
    if missing == "spec test":
        tests = []
    (tmp_path / "docs").mkdir()
    for lang in ("en", "zh"):
        book_text = "# Book\n\n### new-claim\n\nHolds.\n"
        if missing == "book":
            book_text = "# Book\n"
        (tmp_path / "docs" / f"book.{lang}.md").write_text(book_text, encoding="utf-8")
    return claims, tests, set(), tmp_path, targets


def test_a_claim_with_every_piece_of_the_checklist_passes_it(tmp_path):
    assert checklist(*new_claim_project(tmp_path, missing=None)) == []


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("spec test", "claim 'new-claim': no spec test: name it with @pytest.mark.claim"),
        (
            "target in its topic's module",
            "claim 'new-claim': spec/test_newtopic.py takes child targets from "
            "targets/othertopic.py: put them in targets/newtopic.py",
        ),
        ("targets named after a spec module", "lifecycle.py in "),
        ("no_standin reason", "claim 'new-claim': no broken stand-in: add one"),
        ("book", "claim 'new-claim': not in docs/book.en.md: regenerate the book"),
    ],
)
def test_a_claim_lacking_a_piece_of_the_checklist_is_named_with_the_piece(
    tmp_path, missing, message
):
    problems = checklist(*new_claim_project(tmp_path, missing))
    assert any(p.startswith(message) for p in problems), problems


def test_a_claim_lacking_a_fact_of_its_catalogue_entry_is_refused_by_the_catalogue(tmp_path):
    with pytest.raises(catalogue.CatalogueError, match=r"claim #1 \(new-claim\): missing claim_zh"):
        new_claim_project(tmp_path, missing="Chinese text")
