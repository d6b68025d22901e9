"""The claims book: python -m mpspec book."""

import html
import re
from pathlib import Path

import claims_json
import pytest

from mpspec import catalogue, expectations, outcomes
from mpspec.__main__ import main
from mpspec.runtime.impl import START_METHODS
from mpspec.tools import book, matrix

ROOT = Path(__file__).resolve().parent.parent
CLAIMS = catalogue.load(ROOT / "spec" / "claims.toml")


def results_file(folder, name, python, cells, interpreter="CPython", claims=CLAIMS):
    """Write a claims JSON file as the plugin does: ``cells`` {claim: {method: outcome}},
    one test per cell."""
    records = [
        outcomes.TestRecord(cid, method, f"spec/t.py::t[{method}]", outcome, None)
        for cid, by_method in cells.items()
        for method, outcome in by_method.items()
    ]
    results = claims_json.run(records, python, interpreter, claims=claims)
    (folder / name).write_text(results.to_json(), encoding="utf-8")


def observing_file(folder, name, python, seen, interpreter="CPython"):
    """Write a claims JSON file whose tests observed ``seen``: {(claim, method): value}."""
    records = [
        outcomes.TestRecord(cid, m, f"spec/t.py::test_t[{m}]", "passed", None, observed=value)
        for (cid, m), value in seen.items()
    ]
    results = claims_json.run(records, python, interpreter, verdict="depends")
    (folder / name).write_text(results.to_json(), encoding="utf-8")


@pytest.fixture(scope="module")
def files():
    return book.render(ROOT)


@pytest.mark.parametrize("lang", book.LANGS)
def test_the_book_covers_every_claim_once_in_catalogue_order(files, lang):
    text = files[f"book.{lang}.md"]
    headings = re.findall(r"^### (\S+)$", text, re.M)
    assert headings == list(CLAIMS)


@pytest.mark.parametrize("lang", book.LANGS)
def test_the_index_lists_refuted_first_then_depends_caveats_holds(files, lang):
    text = files[f"book.{lang}.md"]
    index = text.split("\n## ")[1]
    order = [book.BADGE[v] for v in book.VERDICT_ORDER]
    assert [line[2] for line in index.splitlines() if line.startswith("- ")] == order
    for claim in CLAIMS.values():
        assert f"[{claim.id}](#{claim.id})" in index


def test_each_language_shows_its_own_text_and_links_to_the_other(files):
    en, zh = files["book.en.md"], files["book.zh.md"]
    claim = CLAIMS["daemon-terminated-on-exit"]
    for fact in claim.facts:
        assert book._flow(fact.en) in en
        assert book._flow(fact.zh) in zh
        assert book._flow(fact.en) not in zh
    assert "(book.zh.md)" in en
    assert "(book.en.md)" in zh
    assert 'href="book.zh.html"' in files["book.en.html"]
    assert 'href="book.en.html"' in files["book.zh.html"]


def test_every_spec_test_is_listed_with_its_docstring_and_a_link_to_its_line(files):
    text = files["book.en.md"]
    tests = book.spec_tests(ROOT)
    assert len(tests) > 80
    for test in tests:
        assert test.claim in CLAIMS, test.name
        link = f"[`{test.name}`](../{test.path}#L{test.line})"
        assert link in text
        lines = (ROOT / test.path).read_text(encoding="utf-8").splitlines()
        assert lines[test.line - 1].startswith("@") or f"def {test.name}(" in lines[test.line - 1]
        assert book._flow(test.doc) in text


def test_every_spec_test_has_a_docstring():
    undocumented = [f"{t.path}::{t.name}" for t in book.spec_tests(ROOT) if not t.doc]
    assert undocumented == []


def test_a_module_level_claim_mark_is_found_for_undecorated_tests(tmp_path):
    # The book lists what the plugin collects: a project of its own, with a catalogue.
    spec = tmp_path / "spec"
    spec.mkdir()
    (spec / "claims.toml").write_text(
        '[[section]]\nid = "S"\nen = "S"\nzh = "节"\n\n'
        + "".join(
            f'[[claim]]\nid = "{cid}"\nsection = "S"\nclaim = "C."\nverdict = "holds"\n'
            f'claim_zh = "中。"\nfact = [{{ en = "E.", zh = "中。", tests = ["{test}"] }}]\n\n'
            for cid, test in (("a-claim", "test_one"), ("b-claim", "test_two"))
        ),
        encoding="utf-8",
    )
    (spec / "test_x.py").write_text(
        "import pytest\npytestmark = [pytest.mark.claim('a-claim'), pytest.mark.slow]\n\n"
        "def test_one(start_method):\n    '''Does one.'''\n\n"
        "@pytest.mark.claim('b-claim')\n@pytest.mark.parametrize('x', [1])\n"
        "def test_two(x, start_method):\n    pass\n"
    )
    found = book.spec_tests(tmp_path)
    assert [(t.claim, t.name, t.doc, t.path, t.line) for t in found] == [
        ("a-claim", "test_one", "Does one.", "spec/test_x.py", 4),
        ("b-claim", "test_two", "", "spec/test_x.py", 7),
    ]


def test_a_spec_that_does_not_collect_stops_the_book_with_pytest_s_words(tmp_path):
    spec = tmp_path / "spec"
    spec.mkdir()
    (spec / "test_x.py").write_text(
        "import pytest\n\n@pytest.mark.claim('no-such-claim')\n"
        "def test_one(start_method):\n    pass\n"
    )
    with pytest.raises(RuntimeError, match="no-such-claim"):
        book.spec_tests(tmp_path)


def test_declared_deviations_of_other_implementations_are_shown(files):
    section = files["book.en.md"].split("### pool-context-terminates")[1]
    assert "billiard, fork/spawn/forkserver: After a with-Pool block" in section


@pytest.mark.parametrize("lang", book.LANGS)
def test_the_html_book_is_self_contained(files, lang):
    page = files[f"book.{lang}.html"]
    assert not re.search(r"<script|<link|<img|@import|url\(|src=", page)
    # Links out are only the documented facts' sources, which a reader follows: nothing
    # the page loads.
    sources = {fact.source for claim in CLAIMS.values() for fact in claim.facts if fact.source}
    assert set(re.findall(r'href="(https?://[^"]+)"', page)) == sources
    assert page.count('<section class="claim') == len(CLAIMS)


def test_with_results_the_book_shows_outcomes_per_run_and_start_method(tmp_path):
    cells = {"exit-codes": {"fork": "passed", "spawn": "failed", "forkserver": "skipped"}}
    results_file(tmp_path, "py312.json", "3.12.1", cells)
    files = book.render(ROOT, matrix.load(tmp_path), langs=["en"])
    section = files["book.en.md"].split("### exit-codes")[1].split("### ")[0]
    assert "| CPython 3.12 | verified | FAILED | n/a |" in section
    page = files["book.en.html"].split('id="exit-codes"')[1].split("</section>")[0]
    cells = re.findall(r'<td class="(\w+)">([^<]*)</td>', page)
    assert cells == [("ok", "verified"), ("bad", "FAILED"), ("na", "n/a")]
    # A claim that no test of the run tested is not run: not marked as a failure.
    assert '<td class="none">-</td>' in files["book.en.html"]


def test_the_committed_book_is_current():
    assert book.stale(ROOT, ROOT / "docs") == [], "run: python -m mpspec book"


def test_stale_lists_the_files_that_differ_or_are_missing(tmp_path):
    (tmp_path / "book.en.md").write_text("old")
    assert book.stale(ROOT, tmp_path) == [
        "book.en.md",
        "book.en.html",
        "book.zh.md",
        "book.zh.html",
    ]


def test_the_check_command_fails_and_says_what_to_run_when_the_book_is_stale(monkeypatch, capsys):
    monkeypatch.setattr(book, "stale", lambda root, docs: ["book.zh.md"])
    assert main(["book", "--check"]) == 1
    assert "docs/book.zh.md is out of date: run python -m mpspec book" in capsys.readouterr().out


def test_the_book_command_writes_both_languages_with_outcomes_from_results(tmp_path, capsys):
    results_file(tmp_path, "py313.json", "3.13.0", {"join-waits": {"fork": "passed"}})
    assert main(["book", "--results", str(tmp_path), "--lang", "zh"]) == 0
    assert sorted(p.name for p in tmp_path.glob("book.*")) == ["book.zh.html", "book.zh.md"]
    assert "| CPython 3.13 | verified | - | - |" in (tmp_path / "book.zh.md").read_text()
    assert f"wrote {tmp_path / 'book.zh.md'}" in capsys.readouterr().out


def test_a_deviation_names_the_conditions_it_applies_under():
    (d,) = expectations.parse(
        '[[deviation]]\nclaim = "c"\nstart_methods = ["fork"]\npython = ">=3.12"\n'
        'interpreter = "pypy"\nplatform = "linux"\nactual = "A."\nreason = "R."\n'
    )
    assert book._deviation_text("x", d) == "x, fork, Python >=3.12, pypy, linux: A. (R.)"


@pytest.mark.parametrize("lang", book.LANGS)
def test_the_moving_off_fork_chapter_has_a_row_and_advice_per_pitfall(files, lang):
    pitfalls = [c for c in CLAIMS.values() if c.is_pitfall]
    assert len(pitfalls) == 12
    text = files[f"book.{lang}.md"]
    chapter = text.split('<a id="moving-off-fork"></a>')[1].split("\n## ")[1]
    published = book.Book(ROOT).published
    for claim in pitfalls:
        cells = [matrix.by_version_text(published, claim.id, m) for m in START_METHODS]
        escaped = [cell.replace("|", "\\|") for cell in cells]
        assert f"| [{claim.id}](#{claim.id}) | {' | '.join(escaped)} |" in chapter
        assert (claim.instead if lang == "en" else claim.instead_zh) in chapter
    page = files[f"book.{lang}.html"]
    assert 'id="moving-off-fork"' in page
    assert page.index('id="moving-off-fork"') < page.index(f'id="{pitfalls[0].id}"')


def book_anchors():
    """Every anchor the book may have: a claim's, a test's (under its claim), the chapter's."""
    tests = {book.test_anchor(t.claim, t.name) for t in book.spec_tests(ROOT)}
    return set(CLAIMS) | tests | {"moving-off-fork"}


@pytest.mark.parametrize("lang", book.LANGS)
def test_every_claim_and_test_has_one_anchor_and_every_link_within_the_book_lands_on_one(
    files, lang
):
    page = files[f"book.{lang}.html"]
    anchors = re.findall(r'\bid="([^"]+)"', page)
    assert len(anchors) == len(set(anchors))
    assert set(anchors) == book_anchors()
    assert set(re.findall(r'href="#([^"]+)"', page)) <= set(anchors)
    text = files[f"book.{lang}.md"]
    md_anchors = re.findall(r'<a id="([^"]+)"></a>', text)
    assert len(md_anchors) == len(set(md_anchors))
    targets = set(re.findall(r"^### (\S+)$", text, re.M)) | set(md_anchors)
    assert targets == book_anchors()
    assert set(re.findall(r"\]\(#([^)]+)\)", text)) <= targets


def really(text, claim_id, fmt):
    """The "What really happens" paragraph of one claim in a book's Markdown or HTML."""
    if fmt == "md":
        section = text.split(f"\n### {claim_id}\n")[1]
        return re.search(r"^\*\*(?:What really happens|实际情况)：?:?\*\* (.*)$", section, re.M)[1]
    section = text.split(f'id="{claim_id}">')[1]
    return re.search(r'<p class="really">(.*?)</p>', section, re.S)[1]


# A fact's evidence as each format writes it: test numbers linking to test anchors, or
# "documented" linking to the source.
EVIDENCE = {
    "md": re.compile(r"<sup>(?:(?:\[\\\[\d+\\\]\]\(#[^)]+\))+|\[[^\]]+ ↗\]\([^)]+\))</sup>"),
    "html": re.compile(r'<sup class="ev">.*?</sup>'),
}
LINK = {"md": re.compile(r"\]\(([^)]+)\)"), "html": re.compile(r'href="([^"]+)"')}


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("lang", book.LANGS)
def test_each_fact_is_followed_by_links_to_the_tests_that_show_it_or_its_source(files, lang, fmt):
    text = files[f"book.{lang}.{fmt}"]
    numbered = {}
    for test in book.spec_tests(ROOT):
        numbered.setdefault(test.claim, []).append(test.name)
    for claim in CLAIMS.values():
        paragraph = really(text, claim.id, fmt)
        marks = EVIDENCE[fmt].findall(paragraph)
        assert len(marks) == len(claim.facts), claim.id
        rest = paragraph
        for fact, mark in zip(claim.facts, marks):
            # The fact's words, then its mark: each fact in order, as one paragraph.
            before, rest = rest.split(mark, 1)
            if fmt == "html":
                before = html.unescape(before)
            assert before.strip().endswith(book._flow(fact.text(lang))), (claim.id, fact.en)
            links = [html.unescape(link) for link in LINK[fmt].findall(mark)]
            if fact.documented:
                assert links == [fact.source], (claim.id, fact.en)
            else:
                assert links == [f"#{book.test_anchor(claim.id, name)}" for name in fact.tests]
                numbers = [int(n) for n in re.findall(r"\[\\?\[?(\d+)", mark)]
                assert numbers == [numbered[claim.id].index(n) + 1 for n in fact.tests]


def test_text_is_escaped_in_the_html_book_and_written_as_it_is_in_the_markdown(
    tmp_path, monkeypatch
):
    spec = tmp_path / "spec"
    spec.mkdir()
    (spec / "claims.toml").write_text(
        '[[section]]\nid = "s"\nen = "Pipes & <b>tags</b>"\nzh = "节"\n\n'
        '[[claim]]\nid = "a-claim"\nsection = "s"\nverdict = "depends"\n'
        'claim = "x < y & z"\nclaim_zh = "中。"\n'
        'instead = "Use <this> & that."\ninstead_zh = "中。"\n'
        '[[claim.fact]]\nen = "<script>alert(1)</script>"\nzh = "中。"\ntests = ["test_a"]\n',
        encoding="utf-8",
    )
    found = [book.SpecTest("a-claim", "test_a", "Checks <that> & more.", "spec/test_a.py", 3)]
    monkeypatch.setattr(book, "spec_tests", lambda root: found)
    results_file(tmp_path, "run.json", "3.12.1", {"a-claim": {"fork": "passed"}}, "Py<Py> & co", {})
    published = tmp_path / "docs" / "results"
    published.mkdir(parents=True)
    seen = {"fork": "a | b", "spawn": "<s>", "forkserver": "&"}
    observing_file(published, "py312.json", "3.12.1", {("a-claim", m): v for m, v in seen.items()})
    files = book.render(tmp_path, matrix.load(tmp_path), langs=["en"])
    text, page = files["book.en.md"], files["book.en.html"]
    for raw in [
        "Pipes & <b>tags</b>",
        "x < y & z",
        "<script>alert(1)</script>",
        "Checks <that> & more.",
        "Use <this> & that.",
        "Py<Py> & co 3.12",
    ]:
        assert raw in text
        assert raw not in page
        assert html.escape(raw) in page
    assert "| [a-claim](#a-claim) | a \\| b | <s> | & |" in text  # a Markdown table cell
    assert "<td>a | b</td><td>&lt;s&gt;</td><td>&amp;</td>" in page


def test_section_headings_come_from_the_catalogue_s_section_tables():
    top = catalogue.Section("process-objects", "Process objects", "Process 对象")
    sub = catalogue.Section("daemons", "daemons", "守护进程", parent=top)
    docs = catalogue.Section("python-docs", "Python documentation", "Python 文档", tutorial=False)
    assert book.section_title(top, "en") == "Process objects · Process 对象"
    assert book.section_title(sub, "en") == "Process objects: daemons · Process 对象"
    assert book.section_title(sub, "zh") == "Process 对象：守护进程"
    assert book.section_title(docs, "en") == "Python documentation"
    assert book.section_title(docs, "zh") == "Python 文档"


def test_where_a_claim_does_not_apply_is_in_the_book_without_a_run(files):
    section = files["book.en.md"].split("### zombie-without-wait")[1].split("### ")[0]
    assert (
        "- `test_zombie_is_reaped_by_the_parent_s_process_calls`, `test_zombie_holds_no_memory` "
        "under forkserver: the caller of start() never has a zombie child" in section
    )
    section = files["book.zh.md"].split("### sigchld-notifies-parent")[1].split("### ")[0]
    assert "- 所有测试，在 linux 以外的平台上：reads process states from /proc" in section
