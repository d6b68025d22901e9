"""The claims book: ``python -m mpspec book [--results DIR] [--lang en|zh]``.

A reader's view of the spec, generated from its sources of truth and never
edited by hand:

* the catalogue (``spec/claims.toml``): each claim restated, its verdict and
  what really happens, in English and Chinese, under its section's titles: a
  paragraph of facts, each marked with its evidence (links to the tests below it
  that show it, or "documented", a link to its source), and where its tests
  cannot apply (``not_applicable``), without a run;
* the spec modules: the tests that prove each claim, with their sentence-like
  names, their docstrings (how it is verified) and their file and line;
* the expectations files (``spec/expectations/``): where other implementations
  or interpreters are known to deviate;
* optionally, claims JSON results: the outcome per start method and run.

It follows the tutorial's order and writes Markdown (for a code host) and a
self-contained HTML page per language, from the templates ``book.md.j2`` and
``book.html.j2`` (``mpspec/tools/templates/``).
"""

import functools
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from mpspec import catalogue, expectations, outcomes
from mpspec.runtime.impl import START_METHODS
from mpspec.tools.pages import templates

LANGS = ("en", "zh")
COLLECT_BOUND = 120  # seconds for pytest --collect-only over the spec (1 s here)
VERDICT_ORDER = catalogue.VERDICTS
BADGE = {"refuted": "🟥", "depends": "🟦", "holds-with-caveats": "🟨", "holds": "🟩"}

TEXT = {
    "en": {
        "title": "The mpspec claims book",
        "other": "中文版",
        "intro": (
            "A multiprocessing tutorial (in Chinese) makes the claims below. mpspec checks "
            "each one against the real interpreter under the start methods fork, spawn and "
            "forkserver. This book is generated from the claim catalogue, the tests and their "
            "docstrings: `python -m mpspec book`. Do not edit it by hand."
        ),
        "index": "Verdicts at a glance",
        "count": " ({} claims)",
        "colon": ": ",
        "verdict": {
            "refuted": "refuted",
            "depends": "depends",
            "holds-with-caveats": "holds, with caveats",
            "holds": "holds",
        },
        "verdict_help": {
            "refuted": "the tutorial is wrong",
            "depends": "true under some start methods, versions or builds only",
            "holds-with-caveats": "right, but incomplete",
            "holds": "the tutorial is right",
        },
        "says": "The tutorial says",
        "docs_say": "The Python documentation says",
        "really": "What really happens",
        "tests": "How it is verified",
        "documented": "documented",
        "test_link": "shown by {}",
        "deviations": "Known deviations elsewhere",
        "results": "Outcomes",
        "run": "run",
        "section": "Tutorial section",
        "na": "Where it does not apply (n/a)",
        "na_every": "every test",
        "na_under": " under {}",
        "na_on": " on {}",
        "na_off": " on platforms other than {}",
        "na_list": ", ",
        "moving": "Moving off fork",
        "moving_intro": (
            "Python 3.14 made forkserver the default start method on Linux, and code written "
            "for fork broke. Each row is a pitfall the spec checks under every start method; "
            "the cells say what happens, the link leads to the claim and its tests. The "
            "claims matrix that tox -e matrix writes (results/matrix.html) shows the values "
            "that each run's tests observed, per interpreter and version."
        ),
        "pitfall": "pitfall",
        "instead": "What to do instead",
    },
    "zh": {
        "title": "mpspec 论断手册",
        "other": "English",
        "intro": (
            "下面是一篇 multiprocessing 中文教程中的论断。mpspec 在 fork、spawn 和 forkserver "
            "三种启动方式下，用真实的解释器逐条检验。本手册由论断目录、测试及其文档字符串自动生成"
            "（`python -m mpspec book`），请勿手工修改。测试说明只有英文版。"
        ),
        "index": "结论一览",
        "count": "（{} 条）",
        "colon": "：",
        "verdict": {
            "refuted": "不成立",
            "depends": "视情况而定",
            "holds-with-caveats": "成立，但有保留",
            "holds": "成立",
        },
        "verdict_help": {
            "refuted": "教程说错了",
            "depends": "只在某些启动方式、版本或构建下成立",
            "holds-with-caveats": "说得对，但不完整",
            "holds": "教程说得对",
        },
        "says": "教程的说法",
        "docs_say": "Python 文档的说法",
        "really": "实际情况",
        "tests": "如何验证（测试说明为英文）",
        "documented": "文档",
        "test_link": "由 {} 验证",
        "deviations": "其他实现中已知的差异（英文）",
        "results": "运行结果",
        "run": "运行",
        "section": "教程章节",
        "na": "不适用的情形（n/a，原因为英文）",
        "na_every": "所有测试",
        "na_under": "，在 {} 下",
        "na_on": "，在 {} 上",
        "na_off": "，在 {} 以外的平台上",
        "na_list": "、",
        "moving": "告别 fork",
        "moving_intro": (
            "Python 3.14 把 Linux 上的默认启动方式改成了 forkserver，为 fork 写的代码因此出了问题。"
            "下表每一行是本规范在每种启动方式下都检验过的一个陷阱；单元格写的是实际发生的情况，"
            "链接指向该论断及其测试。tox -e matrix 生成的论断矩阵（results/matrix.html）"
            "按解释器和版本列出每次运行中测试观察到的值。"
        ),
        "pitfall": "陷阱",
        "instead": "应当怎么做",
    },
}


# One test function of the spec: its claim, name, docstring, path and line.
SpecTest = outcomes.SpecTest


def spec_tests(root):
    """Every test function of the spec, with the claim it names, in collection order.

    The mpspec plugin's own collection finds them: ``pytest --collect-only`` in a
    fresh interpreter writes them to its claims JSON (``tests``, read through the
    results loader), so the book
    lists exactly the tests that a run runs, with the plugin's catalogue check.
    Collected once per root and process.
    """
    return list(_collected(Path(root).resolve()))


@functools.cache
def _collected(root):
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp, "collected.json")
        # The implementation under test is the default one: a run's choice
        # (MPSPEC_IMPL, set for its children) changes no test function.
        env = {k: v for k, v in os.environ.items() if not k.startswith("MPSPEC_")}
        proc = subprocess.run(
            [
                *(sys.executable, "-m", "pytest", "--collect-only", "-q"),
                *("-p", "no:cacheprovider", "-p", "no:xdist", f"--rootdir={root}"),
                *(f"--claims-json={out}", "spec"),
            ],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=COLLECT_BOUND,
        )
        if proc.returncode != 0 or not out.exists():
            raise RuntimeError(f"collecting the spec failed:\n{proc.stdout}{proc.stderr}")
        return tuple(outcomes.load(out).tests)


def section_title(section, lang):
    """The heading of a catalogue section (a :class:`catalogue.Section`) in one language.

    English headings also give the tutorial's Chinese title, which a reader can find in
    the tutorial; a subsection's heading is its section's title and its own."""
    top = section.parent or section
    if lang == "zh":
        return f"{top.zh}：{section.zh}" if section.parent else top.zh
    title = f"{top.en}: {section.en}" if section.parent else top.en
    return f"{title} · {top.zh}" if top.tutorial else title


def not_applicable_text(entry, lang):
    """Where one ``not_applicable`` entry of a claim applies, in words (its reason is
    English): ``{"tests": [names], "where": " under forkserver"}``, the tests empty for
    every test of the claim."""
    t = TEXT[lang]
    where = ""
    if tuple(entry.start_methods) != tuple(START_METHODS):
        where += t["na_under"].format(t["na_list"].join(entry.start_methods))
    if entry.platforms:
        where += t["na_on"].format(t["na_list"].join(entry.platforms))
    if entry.except_platforms:
        where += t["na_off"].format(t["na_list"].join(entry.except_platforms))
    return {"tests": list(entry.tests), "where": where, "reason": entry.reason}


def _flow(text):
    """Catalogue text with its hard line breaks joined: one paragraph."""
    return re.sub(r"\s*\n\s*", " ", text.strip())


def test_anchor(claim_id, test_name):
    """The anchor of a test in the book: the claim's id and the test's name, which no
    other claim's test can share (claim ids are kebab-case, test names have no hyphen)."""
    return f"{claim_id}--{test_name}"


def _facts(claim, tests, lang):
    """What really happens, as ``[{"text", "tests": [{"number", "anchor", "name"}],
    "source"}]``: each fact with its evidence, the tests numbered as the book lists them."""
    numbers = {test.name: number for number, test in enumerate(tests, 1)}
    return [
        {
            "text": _flow(fact.text(lang)),
            "tests": [
                {"number": numbers[name], "anchor": test_anchor(claim.id, name), "name": name}
                for name in fact.tests
            ],
            "source": fact.source,
        }
        for fact in claim.facts
    ]


class Book:
    """Everything a book shows, gathered once and rendered per language and format."""

    def __init__(self, root, runs=()):
        root = Path(root)
        spec = root / "spec"
        self.claims = catalogue.load(spec / "claims.toml")
        self.section_of = catalogue.load_sections(spec / "claims.toml")
        self.tests = {}
        for test in spec_tests(root):
            self.tests.setdefault(test.claim, []).append(test)
        self.deviations = {}
        for path in sorted((spec / "expectations").glob("*.toml")):
            for d in expectations.load(spec, path.stem, self.claims):
                self.deviations.setdefault(d.claim, []).append((path.stem, d))
        self.runs = list(runs)

    def sections(self):
        """``[(Section, [claims])]``: consecutive claims of one section, in tutorial order."""
        out = []
        for claim in self.claims.values():
            if out and out[-1][0].id == claim.section:
                out[-1][1].append(claim)
            else:
                out.append((self.section_of[claim.section], [claim]))
        return out

    def by_verdict(self):
        return [
            (v, [c for c in self.claims.values() if c.verdict == v])
            for v in VERDICT_ORDER
            if any(c.verdict == v for c in self.claims.values())
        ]

    def result_rows(self, claim_id):
        """``[(run label, [Cell per start method])]`` for one claim."""
        return [(run.label, [run.cell(claim_id, m) for m in START_METHODS]) for run in self.runs]

    def pitfalls(self):
        return [c for c in self.claims.values() if c.is_pitfall]

    # --- Rendering -----------------------------------------------------------

    def markdown(self, lang):
        """The book in ``lang`` as Markdown (template ``book.md.j2``)."""
        return templates().get_template("book.md.j2").render(self.page(lang))

    def html(self, lang):
        """The book in ``lang`` as one self-contained HTML page (``book.html.j2``)."""
        return templates().get_template("book.html.j2").render(self.page(lang))

    def page(self, lang):
        """What the book shows in ``lang``, for its templates: the same for both formats."""
        en = lang == "en"
        return {
            "t": TEXT[lang],
            "other": "zh" if en else "en",
            "html_lang": "en" if en else "zh-CN",
            "badge": BADGE,
            "methods": START_METHODS,
            "index": self.by_verdict(),
            "pitfalls": [
                {
                    "id": claim.id,
                    "cells": [
                        dict(claim.observed if en else claim.observed_zh)[m] for m in START_METHODS
                    ],
                    "instead": claim.instead if en else claim.instead_zh,
                }
                for claim in self.pitfalls()
            ],
            "sections": [
                (section_title(section, lang), [self._claim_page(c, lang) for c in claims])
                for section, claims in self.sections()
            ],
            "runs": bool(self.runs),
        }

    def _claim_page(self, claim, lang):
        tests = self.tests.get(claim.id, [])
        return {
            "id": claim.id,
            "verdict": claim.verdict,
            "says": TEXT[lang]["says" if self.section_of[claim.section].tutorial else "docs_say"],
            "claim": _flow(claim.text("claim", lang)),
            "facts": _facts(claim, tests, lang),
            "joiner": "" if lang == "zh" else " ",
            "tests": [
                {
                    "name": test.name,
                    "anchor": test_anchor(claim.id, test.name),
                    "path": test.path,
                    "line": test.line,
                    "doc": _flow(test.doc),
                }
                for test in tests
            ],
            "deviations": [
                _deviation_text(name, d) for name, d in self.deviations.get(claim.id, [])
            ],
            "not_applicable": [not_applicable_text(e, lang) for e in claim.not_applicable],
            "results": [
                (label, [{"text": cell.text, "kind": cell.legend.css} for cell in cells])
                for label, cells in self.result_rows(claim.id)
            ],
        }


def _deviation_text(impl_name, d):
    where = [impl_name, "/".join(d.start_methods)]
    if d.python:
        where.append(f"Python {d.python}")
    if d.interpreter:
        where.append(d.interpreter)
    if d.platform:
        where.append(d.platform)
    text = f"{', '.join(where)}: {d.actual} ({d.reason}"
    return text + (f"; {d.link})" if d.link else ")")


def render(root, runs=(), langs=LANGS):
    """``{filename: text}`` of the book in every language and format."""
    book = Book(root, runs)
    files = {}
    for lang in langs:
        files[f"book.{lang}.md"] = book.markdown(lang)
        files[f"book.{lang}.html"] = book.html(lang)
    return files


def write(root, out_dir, runs=(), langs=LANGS):
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in render(root, runs, langs).items():
        (out / name).write_text(text, encoding="utf-8")
        paths.append(out / name)
    return paths


def stale(root, docs_dir):
    """Names of the committed book files (built without results) that differ from a rebuild."""
    return [
        name
        for name, text in render(root).items()
        if not (Path(docs_dir) / name).exists()
        or (Path(docs_dir) / name).read_text(encoding="utf-8") != text
    ]
