"""One claims matrix from many runs: ``python -m mpspec matrix RESULTS_DIR``.

Each run of ``pytest --claims-json FILE`` records one interpreter and one
implementation. The matrix has a row per claim (tutorial order), a column group
per run and a cell per start method, and it says on each row what the outcome
changes with: the start method, the Python version, the interpreter or the
implementation. It is written as Markdown and as a self-contained HTML page.
"""

import html
import json
from pathlib import Path

from mpspec import catalogue
from mpspec.outcomes import DEVIATES
from mpspec.runtime.impl import START_METHODS

# Cell text in the claims JSON -> (symbol, CSS class, meaning).
LEGEND = {
    "verified": ("✓", "ok", "verified: this run confirmed what the spec asserts"),
    DEVIATES: ("≠", "dev", "deviates (expected): declared in spec/expectations/"),
    "n/a": ("n/a", "na", "not applicable here (reason in the run's report)"),
    "FAILED": ("✗", "bad", "FAILED: the behaviour differs from the spec, undeclared"),
    "ERROR": ("E", "bad", "ERROR: the test could not run cleanly"),
    "-": ("–", "none", "not run"),
}
VERDICT_ORDER = catalogue.VERDICTS
SHORT = {"fork": "fk", "spawn": "sp", "forkserver": "fs"}  # column heads in the HTML


class Run:
    """One claims JSON file: the environment and the cells of every claim."""

    def __init__(self, data, source=""):
        self.source = source
        self.python = data["python"]
        self.interpreter = data["python_implementation"]
        self.implementation = data["implementation"]
        self.implementation_version = data.get("implementation_version")
        self.claims = data["claims"]
        self.reasons = {}  # (claim, method) -> reasons of its n/a and deviating tests
        self.deviations = {}  # (claim, method) -> what happens instead, deviating tests only
        self.observed = {}  # (claim, case, method) -> what the test saw (claims that depend)
        for rec in data.get("results", []):
            if rec.get("observed") and rec.get("verdict") == "depends":
                key = (rec["claim"], case_of(rec["test"], rec["start_method"]), rec["start_method"])
                self.observed[key] = rec["observed"]
            if rec.get("reason") and rec["outcome"] in ("deviates", "skipped"):
                key = (rec["claim"], rec["start_method"])
                for table in [self.reasons] + [self.deviations] * (rec["outcome"] == "deviates"):
                    if rec["reason"] not in table.setdefault(key, []):
                        table[key].append(rec["reason"])

    @property
    def minor(self):
        return ".".join(self.python.split(".")[:2])

    @property
    def label(self):
        name = f"{self.interpreter} {self.minor}"
        if self.implementation != "multiprocessing":
            version = f" {self.implementation_version}" if self.implementation_version else ""
            name = f"{self.implementation}{version} on {name}"
        return name

    def sort_key(self):
        version = tuple(int(p) for p in self.python.split(".")[:2] if p.isdigit())
        return (
            self.implementation != "multiprocessing",
            self.implementation,
            self.interpreter != "CPython",
            version,
        )

    def cell(self, claim, method):
        return self.claims.get(claim, {}).get("cells", {}).get(method, "-")


def case_of(test, method):
    """The case a test id names, without its start method: ``t.py::f[fork-lock]`` -> "lock"."""
    inner = test.partition("[")[2].rstrip("]")
    return "-".join(part for part in inner.split("-") if part and part != method)


def family(run):
    """What a run is apart from its Python version: "CPython", "billiard on CPython"."""
    return run.label.rsplit(" ", 1)[0]


def where(chosen, runs):
    """The runs in ``chosen`` named compactly, in ``runs``' order: a family whose every run
    is chosen is named alone ("PyPy"), else with its versions ("CPython 3.14, 3.15")."""
    words = []
    for name in dict.fromkeys(family(run) for run in runs):
        members = [run for run in runs if family(run) == name]
        picked = [run.minor for run in members if run in chosen]
        if picked and len(picked) == len(members):
            words.append(name)
        elif picked:
            words.append(f"{name} {', '.join(picked)}")
    return "; ".join(words)


def observations(runs):
    """``[(claim, case, {method: [(value, where)]})]``: what each configuration did, for the
    claims whose verdict depends on it; ``where`` is "" when every run that observed the
    row saw the value."""
    rows = {}
    for run in runs:
        for (cid, case, method), value in run.observed.items():
            by_value = rows.setdefault((cid, case), {}).setdefault(method, {})
            by_value.setdefault(value, []).append(run)
    order = [cid for cid, _ in claim_rows(runs)]
    out = []
    for (cid, case), methods in sorted(rows.items(), key=lambda kv: order.index(kv[0][0])):
        # The runs that observed this row at all: an older run may predate its test.
        observing = {r for by_value in methods.values() for rs in by_value.values() for r in rs}
        cells = {}
        for method, by_value in methods.items():
            seen = {run for run_list in by_value.values() for run in run_list}
            everywhere = len(by_value) == 1 and seen == observing
            cells[method] = [
                (value, "" if everywhere else where(rs, runs)) for value, rs in by_value.items()
            ]
        out.append((cid, case, cells))
    return out


def _observed_text(cell):
    return "; ".join(f"{value} ({at})" if at else value for value, at in cell) or "–"


def load(results_dir):
    """Every claims JSON file in ``results_dir``, as Runs in column order."""
    runs = []
    for path in sorted(Path(results_dir).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if "claims" in data and "python" in data:
            runs.append(Run(data, path.name))
    if not runs:
        raise ValueError(f"{results_dir}: no claims JSON files (pytest --claims-json FILE)")
    return sorted(runs, key=Run.sort_key)


def claim_rows(runs):
    """``[(claim, verdict)]`` in the order the runs list them (the catalogue's)."""
    rows = {}
    for run in runs:
        for cid, entry in run.claims.items():
            rows.setdefault(cid, entry.get("verdict") or "?")
    return list(rows.items())


def _base(cell):
    """A cell without its n/a count: "verified, 1 n/a" counts as verified."""
    return cell.split(",")[0]


def varies(runs, claim):
    """What the outcome of ``claim`` changes with, across these runs: a list of words."""
    found = []
    for run in runs:
        seen = {_base(run.cell(claim, m)) for m in START_METHODS} - {"n/a", "-"}
        if len(seen) > 1:
            found.append("start method")
            break
    groups = {
        "Python version": lambda r: (r.implementation, r.interpreter),
        "interpreter": lambda r: (r.implementation, r.minor),
        "implementation": lambda r: (r.interpreter, r.minor),
    }
    for word, key in groups.items():
        by_key = {}
        for run in runs:
            cells = tuple(_base(run.cell(claim, m)) for m in START_METHODS)
            by_key.setdefault(key(run), set()).add(cells)
        if any(len(outcomes) > 1 for outcomes in by_key.values()):
            found.append(word)
    return found


def summary(runs):
    """Counts per verdict, and the runs that failed or errored anywhere."""
    verdicts = {}
    for _, verdict in claim_rows(runs):
        verdicts[verdict] = verdicts.get(verdict, 0) + 1
    broken = [
        run.label
        for run in runs
        if any(
            _base(run.cell(cid, m)) in ("FAILED", "ERROR")
            for cid in run.claims
            for m in START_METHODS
        )
    ]
    return verdicts, broken


def markdown(runs):
    """The matrix as Markdown text."""
    rows = claim_rows(runs)
    verdicts, broken = summary(runs)
    out = ["# mpspec claims matrix", ""]
    out.append(
        f"{len(rows)} claims of the tutorial, checked in {len(runs)} runs "
        f"under the start methods {', '.join(START_METHODS)}. "
        + ", ".join(f"{verdicts[v]} {v}" for v in VERDICT_ORDER if v in verdicts)
        + "."
    )
    out.append("")
    out.append(
        "Legend: "
        + "; ".join(f"`{sym}` {meaning}" for sym, _, meaning in LEGEND.values())
        + ". Each cell holds one symbol per start method, in the order "
        + " · ".join(START_METHODS)
        + " (the HTML page has a cell for each). A **depends** verdict means the tutorial"
        " is right only under some start methods, versions or builds: the spec asserts"
        " each configuration's own behaviour (see the claims book), so those rows stay"
        ' verified; "outcome differs by" names what changed a row\'s outcomes.'
    )
    out.append("")
    if broken:
        out.append(f"**Runs with undeclared failures:** {', '.join(broken)}.")
        out.append("")
    header = ["claim", "verdict", *(run.label for run in runs), "outcome differs by"]
    out.append("| " + " | ".join(header) + " |")
    out.append("|" + "|".join(["---"] * len(header)) + "|")
    for cid, verdict in rows:
        shown = f"**{verdict}**" if verdict in ("refuted", "depends") else verdict
        cells = [cid, shown]
        for run in runs:
            cells.append(" ".join(_symbol(run.cell(cid, m)) for m in START_METHODS))
        cells.append(", ".join(varies(runs, cid)) or "")
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    observed = observations(runs)
    if observed:
        out += ["## What each start method did", "", _OBSERVED_INTRO, ""]
        out.append("| claim | case | " + " | ".join(START_METHODS) + " |")
        out.append("|" + "|".join(["---"] * (2 + len(START_METHODS))) + "|")
        for cid, case, cells in observed:
            texts = [_observed_text(cells.get(m, [])) for m in START_METHODS]
            out.append("| " + " | ".join([cid, case, *texts]) + " |")
        out.append("")
    for label, notes in _deviation_notes(runs):
        out += [f"**{label}**, expected deviations:"]
        out += [f"- {_note(*note)}" for note in notes] + [""]
    return "\n".join(out) + "\n"


_OBSERVED_INTRO = (
    "For the claims whose verdict is **depends**, the tests record what each configuration"
    " did. A value stands alone when every run saw it; otherwise the runs that saw it"
    " follow in brackets."
)


def _symbol(cell):
    base = _base(cell)
    symbol = LEGEND.get(base, (base,))[0]
    return symbol + ("+n/a" if base != cell else "")


def _deviation_notes(runs):
    """``[(run label, [(claim, [methods], what happens)])]`` for runs with deviations."""
    out = []
    for run in runs:
        notes = {}
        for (cid, method), reasons in sorted(
            run.deviations.items(), key=lambda item: START_METHODS.index(item[0][1])
        ):
            for reason in reasons:
                notes.setdefault((cid, reason), []).append(method)
        if notes:
            out.append((run.label, [(cid, methods, r) for (cid, r), methods in notes.items()]))
    return out


def _note(cid, methods, reason):
    return f"{cid} [{', '.join(methods)}]: {reason}"


_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans CJK SC",sans-serif;
margin:1.5rem;color:#1d232a;background:#fff}
h1{font-size:1.4rem;margin:0 0 .3rem}
p{max-width:70rem}
table{border-collapse:collapse;margin-top:1rem}
th,td{border:1px solid #d5dae0;padding:.2rem .4rem;text-align:center;white-space:nowrap}
thead th{background:#f1f3f5;position:sticky;top:0}
th.group{border-bottom:2px solid #8895a3}
td.claim{text-align:left;font-family:ui-monospace,Menlo,monospace;font-size:13px;
position:sticky;left:0;background:#fff}
th{font-size:12px}
td.first{border-left:2px solid #8895a3}
.ok{background:#e3f4e6;color:#1c6b2c}.dev{background:#fff1c2;color:#7a5600;font-weight:600}
.na{background:#f1f3f5;color:#6b7680}.bad{background:#fbd5d5;color:#9b1c1c;font-weight:700}
.none{color:#9aa5b1}
.v{border-radius:.7rem;padding:.05rem .5rem;font-size:12px;font-weight:600}
td.varies{text-align:left;color:#1f5fa8;font-size:12px}
tr.refuted td.claim{font-weight:700}
ul.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.4rem 1.2rem}
ul.legend span{display:inline-block;min-width:1.6rem;text-align:center;border-radius:3px}
section.notes li{margin:.2rem 0}
td.seen{text-align:left;white-space:normal;min-width:12rem;vertical-align:top}
td.seen ul{margin:0;padding-left:1rem}.at{color:#6b7680;font-size:12px}
"""


def to_html(runs):
    """The matrix as one self-contained HTML page (no scripts, no external assets)."""
    e = html.escape
    rows = claim_rows(runs)
    verdicts, broken = summary(runs)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>mpspec claims matrix</title><style>{_CSS}{catalogue.verdict_css()}</style>",
        "</head><body>",
        "<h1>mpspec claims matrix</h1>",
        f"<p>{len(rows)} claims of the tutorial, checked in {len(runs)} runs under the start "
        f"methods {', '.join(START_METHODS)}. "
        + ", ".join(
            f'<span class="v v-{v}">{verdicts[v]} {v}</span>'
            for v in VERDICT_ORDER
            if v in verdicts
        )
        + ". Columns of each run: "
        + ", ".join(f"{SHORT[m]} = {m}" for m in START_METHODS)
        + ". Hover a cell for the reason of a deviation or an n/a.</p>",
        '<ul class="legend">'
        + "".join(
            f'<li><span class="{cls}">{e(sym)}</span> {e(meaning)}</li>'
            for sym, cls, meaning in LEGEND.values()
        )
        + "</ul>",
    ]
    if broken:
        parts.append(f'<p class="bad">Runs with undeclared failures: {e(", ".join(broken))}</p>')
    parts.append("<table><thead><tr><th rowspan=2>claim</th><th rowspan=2>verdict</th>")
    for run in runs:
        parts.append(f'<th class="group" colspan="{len(START_METHODS)}">{e(run.label)}</th>')
    parts.append("<th rowspan=2>outcome differs by</th></tr><tr>")
    for _ in runs:
        parts.append("".join(f'<th title="{m}">{SHORT[m]}</th>' for m in START_METHODS))
    parts.append("</tr></thead><tbody>")
    for cid, verdict in rows:
        parts.append(
            f'<tr class="{e(verdict)}"><td class="claim">{e(cid)}</td>'
            f'<td><span class="v v-{e(verdict)}">{e(verdict)}</span></td>'
        )
        for run in runs:
            for n, method in enumerate(START_METHODS):
                cell = run.cell(cid, method)
                cls = LEGEND.get(_base(cell), ("", "bad"))[1]
                title = "; ".join(run.reasons.get((cid, method), [])) or cell
                first = " first" if n == 0 else ""
                parts.append(f'<td class="{cls}{first}" title="{e(title)}">{e(_symbol(cell))}</td>')
        parts.append(f'<td class="varies">{e(", ".join(varies(runs, cid)))}</td></tr>')
    parts.append("</tbody></table>")
    observed = observations(runs)
    if observed:
        parts.append('<section class="observed"><h2>What each start method did</h2>')
        parts.append(f"<p>{_OBSERVED_INTRO.replace('**', '')}</p>")
        parts.append(
            "<table><thead><tr><th>claim</th><th>case</th>"
            + "".join(f"<th>{m}</th>" for m in START_METHODS)
            + "</tr></thead><tbody>"
        )
        for cid, case, cells in observed:
            parts.append(f'<tr><td class="claim">{e(cid)}</td><td>{e(case)}</td>')
            for m in START_METHODS:
                items = "".join(
                    f"<li>{e(value)}"
                    + (f' <span class="at">({e(at)})</span>' if at else "")
                    + "</li>"
                    for value, at in cells.get(m, [])
                )
                parts.append(f'<td class="seen"><ul>{items}</ul></td>' if items else "<td>–</td>")
            parts.append("</tr>")
        parts.append("</tbody></table></section>")
    groups = _deviation_notes(runs)
    if groups:
        parts.append('<section class="notes"><h2>Expected deviations</h2>')
        for label, notes in groups:
            parts.append(f"<h3>{e(label)}</h3><ul>")
            parts += [f"<li>{e(_note(*note))}</li>" for note in notes]
            parts.append("</ul>")
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write(results_dir, out_dir=None):
    """Write ``matrix.md`` and ``matrix.html`` into ``out_dir`` (default: the results
    folder) and return their paths and the Markdown text."""
    runs = load(results_dir)
    out = Path(out_dir or results_dir)
    out.mkdir(parents=True, exist_ok=True)
    md_path, html_path = out / "matrix.md", out / "matrix.html"
    text = markdown(runs)
    md_path.write_text(text, encoding="utf-8")
    html_path.write_text(to_html(runs), encoding="utf-8")
    return md_path, html_path, text
