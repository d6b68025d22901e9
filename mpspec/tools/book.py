"""The claims book: ``python -m mpspec book [--results DIR] [--lang en|zh]``.

A reader's view of the spec, generated from its sources of truth and never
edited by hand:

* the catalogue (``spec/claims.toml``): each claim restated, its verdict and
  what really happens, in English and Chinese;
* the spec modules: the tests that prove each claim, with their sentence-like
  names, their docstrings (how it is verified) and their file and line;
* the expectations files (``spec/expectations/``): where other implementations
  or interpreters are known to deviate;
* optionally, claims JSON results: the outcome per start method and run.

It follows the tutorial's order and writes Markdown (for a code host) and a
self-contained HTML page per language.
"""

import functools
import html
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from mpspec import catalogue, expectations
from mpspec.outcomes import DEVIATES
from mpspec.runtime.impl import START_METHODS

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
        "deviations": "Known deviations elsewhere",
        "results": "Outcomes",
        "run": "run",
        "section": "Tutorial section",
        "python-docs": "Python documentation (not in the tutorial)",
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
        "deviations": "其他实现中已知的差异（英文）",
        "results": "运行结果",
        "run": "运行",
        "section": "教程章节",
        "python-docs": "Python 文档（教程中没有）",
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
SUBSECTION_ZH = {"daemons": "守护进程", "orphans": "孤儿进程", "zombies": "僵尸进程"}


@dataclass(frozen=True)
class SpecTest:
    claim: str
    name: str
    doc: str
    path: str  # relative to the project root, with forward slashes
    line: int


def spec_tests(root):
    """Every test function of the spec, with the claim it names, in collection order.

    The mpspec plugin's own collection finds them: ``pytest --collect-only`` in a
    fresh interpreter writes them to its claims JSON (``tests``), so the book
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
        return tuple(SpecTest(**t) for t in json.loads(out.read_text(encoding="utf-8"))["tests"])


def section_title(section, lang):
    """The heading of a catalogue section ("概述 (overview)") in one language."""
    if section == "python-docs":
        return TEXT[lang]["python-docs"]
    match = re.fullmatch(r"(.*?) \((.*?)\)(?:: (.*))?", section)
    if not match:
        return section
    zh, en, sub = match.groups()
    if lang == "en":
        en = en[0].upper() + en[1:]
        return f"{en}: {sub} · {zh}" if sub else f"{en} · {zh}"
    return f"{zh}：{SUBSECTION_ZH.get(sub, sub)}" if sub else zh


def _flow(text):
    """Catalogue text with its hard line breaks joined: one paragraph."""
    return re.sub(r"\s*\n\s*", " ", text.strip())


class Book:
    """Everything a book shows, gathered once and rendered per language and format."""

    def __init__(self, root, runs=()):
        root = Path(root)
        spec = root / "spec"
        self.claims = catalogue.load(spec / "claims.toml")
        self.tests = {}
        for test in spec_tests(root):
            self.tests.setdefault(test.claim, []).append(test)
        self.deviations = {}
        for path in sorted((spec / "expectations").glob("*.toml")):
            for d in expectations.load(spec, path.stem, self.claims):
                self.deviations.setdefault(d.claim, []).append((path.stem, d))
        self.runs = list(runs)

    def sections(self):
        """``[(section, [claims])]``: consecutive claims of one section, in tutorial order."""
        out = []
        for claim in self.claims.values():
            if out and out[-1][0] == claim.section:
                out[-1][1].append(claim)
            else:
                out.append((claim.section, [claim]))
        return out

    def by_verdict(self):
        return [
            (v, [c for c in self.claims.values() if c.verdict == v])
            for v in VERDICT_ORDER
            if any(c.verdict == v for c in self.claims.values())
        ]

    def result_rows(self, claim_id):
        """``[(run label, [cell per start method])]`` for one claim."""
        return [(run.label, [run.cell(claim_id, m) for m in START_METHODS]) for run in self.runs]

    # --- Markdown ------------------------------------------------------------

    def markdown(self, lang):
        t = TEXT[lang]
        other = "zh" if lang == "en" else "en"
        out = [f"# {t['title']}", "", f"[{t['other']}](book.{other}.md)", "", t["intro"], ""]
        out += [f"## {t['index']}", ""]
        for verdict, claims in self.by_verdict():
            links = ", ".join(f"[{c.id}](#{c.id})" for c in claims)
            out.append(
                f"- {BADGE[verdict]} **{t['verdict'][verdict]}**{t['colon']}"
                f"{t['verdict_help'][verdict]}{t['count'].format(len(claims))}{t['colon']}{links}"
            )
        out.append("")
        out += self._moving_off_fork_markdown(lang)
        for section, claims in self.sections():
            out += [f"## {section_title(section, lang)}", ""]
            for claim in claims:
                out += self._claim_markdown(claim, lang)
        return "\n".join(out).rstrip("\n") + "\n"

    def pitfalls(self):
        return [c for c in self.claims.values() if c.is_pitfall]

    def _moving_off_fork_markdown(self, lang):
        t = TEXT[lang]
        pitfalls = self.pitfalls()
        if not pitfalls:
            return []
        out = ['<a id="moving-off-fork"></a>', "", f"## {t['moving']}", "", t["moving_intro"], ""]
        out.append(f"| {t['pitfall']} | " + " | ".join(START_METHODS) + " |")
        out.append("|---|" + "---|" * len(START_METHODS))
        for claim in pitfalls:
            cells = dict(claim.observed if lang == "en" else claim.observed_zh)
            row = " | ".join(cells[m].replace("|", "\\|") for m in START_METHODS)
            out.append(f"| [{claim.id}](#{claim.id}) | {row} |")
        out += ["", f"**{t['instead']}{t['colon'].strip()}**", ""]
        for claim in pitfalls:
            advice = claim.instead if lang == "en" else claim.instead_zh
            out.append(f"- [{claim.id}](#{claim.id}){t['colon']}{advice}")
        out.append("")
        return out

    def _claim_markdown(self, claim, lang):
        t = TEXT[lang]
        out = [f"### {claim.id}", ""]
        out += [f"{BADGE[claim.verdict]} **{t['verdict'][claim.verdict]}**", ""]
        colon = t["colon"].strip()
        out += [f"**{_says(claim, t)}{colon}** {_flow(claim.text('claim', lang))}", ""]
        out += [f"**{t['really']}{colon}** {_flow(claim.text('explanation', lang))}", ""]
        out += [f"**{t['tests']}{colon}**", ""]
        for test in self.tests.get(claim.id, []):
            link = f"../{test.path}#L{test.line}"
            out.append(f"- [`{test.name}`]({link}) ({test.path}:{test.line})")
            if test.doc:
                out.append(f"  {_flow(test.doc)}")
        out.append("")
        if self.deviations.get(claim.id):
            out += [f"**{t['deviations']}{colon}**", ""]
            for impl_name, d in self.deviations[claim.id]:
                out.append(f"- {_deviation_text(impl_name, d)}")
            out.append("")
        if self.runs:
            out += [f"**{t['results']}{colon}**", ""]
            out.append(f"| {t['run']} | " + " | ".join(START_METHODS) + " |")
            out.append("|---|" + "---|" * len(START_METHODS))
            for label, cells in self.result_rows(claim.id):
                out.append(f"| {label} | " + " | ".join(cells) + " |")
            out.append("")
        return out

    # --- HTML ----------------------------------------------------------------

    def html(self, lang):
        e = html.escape
        t = TEXT[lang]
        other = "zh" if lang == "en" else "en"
        html_lang = "zh-CN" if lang == "zh" else "en"
        parts = [
            "<!DOCTYPE html>",
            f'<html lang="{html_lang}"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{e(t['title'])}</title><style>{_CSS}{_VERDICT_CSS}</style></head><body><main>",
            f'<p class="lang"><a href="book.{other}.html">{e(t["other"])}</a></p>',
            f"<h1>{e(t['title'])}</h1>",
            f"<p>{_inline(t['intro'])}</p>",
            f"<h2>{e(t['index'])}</h2><ul class=index>",
        ]
        for verdict, claims in self.by_verdict():
            links = " ".join(f'<a href="#{c.id}">{e(c.id)}</a>' for c in claims)
            parts.append(
                f"<li>{_badge(verdict, t)} <span class=help>{e(t['verdict_help'][verdict])}"
                f"{e(t['count'].format(len(claims)))}</span><div class=ids>{links}</div></li>"
            )
        parts.append("</ul>")
        parts.append(self._moving_off_fork_html(lang))
        for section, claims in self.sections():
            parts.append(f"<h2>{e(section_title(section, lang))}</h2>")
            for claim in claims:
                parts.append(self._claim_html(claim, lang))
        parts.append("</main></body></html>")
        return "\n".join(parts) + "\n"

    def _moving_off_fork_html(self, lang):
        e = html.escape
        t = TEXT[lang]
        pitfalls = self.pitfalls()
        if not pitfalls:
            return ""
        parts = [
            f'<h2 id="moving-off-fork">{e(t["moving"])}</h2>',
            f"<p>{e(t['moving_intro'])}</p>",
            f"<table class=pitfalls><tr><th>{e(t['pitfall'])}</th>",
            "".join(f"<th>{m}</th>" for m in START_METHODS) + "</tr>",
        ]
        for claim in pitfalls:
            cells = dict(claim.observed if lang == "en" else claim.observed_zh)
            parts.append(f'<tr><td><a href="#{claim.id}">{e(claim.id)}</a></td>')
            parts.append("".join(f"<td>{e(cells[m])}</td>" for m in START_METHODS) + "</tr>")
        parts.append(f"</table><p><b>{e(t['instead'])}</b></p><ul class=instead>")
        for claim in pitfalls:
            advice = claim.instead if lang == "en" else claim.instead_zh
            parts.append(
                f'<li><a href="#{claim.id}">{e(claim.id)}</a>{e(t["colon"])}{e(advice)}</li>'
            )
        parts.append("</ul>")
        return "".join(parts)

    def _claim_html(self, claim, lang):
        e = html.escape
        t = TEXT[lang]
        colon = t["colon"]
        parts = [
            f'<section class="claim {e(claim.verdict)}" id="{claim.id}">',
            f"<h3>{e(claim.id)} {_badge(claim.verdict, t)}</h3>",
            f"<p><b>{e(_says(claim, t))}{colon}</b>{e(_flow(claim.text('claim', lang)))}</p>",
            f"<p><b>{e(t['really'])}{colon}</b>{e(_flow(claim.text('explanation', lang)))}</p>",
            f"<p><b>{e(t['tests'])}{colon}</b></p><ul class=tests>",
        ]
        for test in self.tests.get(claim.id, []):
            href = f"../{test.path}#L{test.line}"
            parts.append(
                f'<li><a href="{e(href)}"><code>{e(test.name)}</code></a> '
                f"<span class=where>{e(test.path)}:{test.line}</span>"
                f"<div class=doc>{e(_flow(test.doc))}</div></li>"
            )
        parts.append("</ul>")
        if self.deviations.get(claim.id):
            parts.append(f"<p><b>{e(t['deviations'])}</b></p><ul class=dev>")
            for impl_name, d in self.deviations[claim.id]:
                parts.append(f"<li>{e(_deviation_text(impl_name, d))}</li>")
            parts.append("</ul>")
        if self.runs:
            parts.append(f"<table><tr><th>{e(t['run'])}</th>")
            parts.append("".join(f"<th>{m}</th>" for m in START_METHODS) + "</tr>")
            for label, cells in self.result_rows(claim.id):
                parts.append(f"<tr><td>{e(label)}</td>")
                parts.append("".join(f'<td class="{_cell_class(c)}">{e(c)}</td>' for c in cells))
                parts.append("</tr>")
            parts.append("</table>")
        parts.append("</section>")
        return "".join(parts)


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


def _says(claim, t):
    return t["docs_say"] if claim.section == "python-docs" else t["says"]


def _badge(verdict, t):
    return f'<span class="badge v-{verdict}">{html.escape(t["verdict"][verdict])}</span>'


def _inline(text):
    """Escape, then turn `code` spans into <code>."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))


def _cell_class(cell):
    base = cell.split(",")[0]
    return {"verified": "ok", DEVIATES: "dev", "n/a": "na"}.get(base, "bad")


_VERDICT_CSS = catalogue.verdict_css() + "".join(
    f"section.{v}{{border-left-color:{bg}}}" for v, (bg, _) in catalogue.VERDICT_COLOURS.items()
)
_CSS = """
body{margin:0;background:#f6f7f9;color:#1d232a;
font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans CJK SC","Noto Sans SC",
"PingFang SC","Microsoft YaHei",sans-serif}
main{max-width:52rem;margin:0 auto;padding:1.5rem 1.25rem 4rem;background:#fff}
h1{font-size:1.8rem;margin:.2rem 0 .6rem}h2{margin-top:2.2rem;border-bottom:2px solid #e3e6ea}
h3{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:1.05rem;margin:0 0 .4rem}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.88em;background:#f1f3f5;
padding:.05rem .25rem;border-radius:3px}
a{color:#1f5fa8;text-decoration:none}a:hover{text-decoration:underline}
p.lang{text-align:right;margin:0}
.badge{display:inline-block;border-radius:.8rem;padding:.05rem .6rem;font:600 .8rem system-ui,
sans-serif;vertical-align:middle}
ul.index{list-style:none;padding:0}ul.index li{margin:.6rem 0}
ul.index .help{color:#5c6670;font-size:.9rem;margin-left:.4rem}
ul.index .ids a{display:inline-block;margin:.1rem .5rem 0 0;
font:.85rem ui-monospace,Menlo,monospace}
section.claim{border:1px solid #e3e6ea;border-left:5px solid #d3ecd8;border-radius:6px;
padding:.8rem 1rem;margin:1rem 0}
section.claim p{margin:.35rem 0}
ul.tests{padding-left:1.1rem}ul.tests li{margin:.4rem 0}
.where{color:#8a949e;font-size:.8rem;margin-left:.3rem}
.doc{color:#3b444d;font-size:.93rem}
ul.dev li{font-size:.9rem;color:#5c4400}
table{border-collapse:collapse;margin:.5rem 0;font-size:.88rem}
th,td{border:1px solid #d5dae0;padding:.15rem .5rem;text-align:left}
td.ok{background:#e3f4e6}td.dev{background:#fff1c2}td.na{background:#f1f3f5;color:#6b7680}
td.bad{background:#fbd5d5;font-weight:700}
"""


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
