"""The merged claims matrix: python -m mpspec matrix RESULTS_DIR."""

import json
import re

import claims_json
import pytest

from mpspec import outcomes
from mpspec.__main__ import main
from mpspec.runtime.impl import START_METHODS
from mpspec.tools import matrix

# A cell's tests, by a short name: "ok+na" is one test passed and one n/a.
TESTS = {
    "ok": ["passed"],
    "fail": ["failed"],
    "err": ["error"],
    "dev": ["deviates"],
    "na": ["skipped"],
    "ok+na": ["passed", "skipped"],
    "-": [],
}


def run_results(
    python,
    cells=None,
    impl="multiprocessing",
    interpreter="CPython",
    reasons=(),
    records=(),
    verdict=None,
):
    """A run's Results, folded from test records as the plugin folds them: ``cells``
    {claim: (fork, spawn, forkserver)} in the names of TESTS, ``reasons`` {(claim,
    method): reason} of its n/a and deviating tests, or ``records`` as they are."""
    records = list(records)
    reasons = dict(reasons)
    for cid, row in (cells or {}).items():
        for method, name in zip(START_METHODS, row):
            for n, outcome in enumerate(TESTS[name]):
                why = reasons.get((cid, method)) if outcome in ("skipped", "deviates") else None
                test = f"spec/t.py::test_{n}[{method}]"
                records.append(outcomes.TestRecord(cid, method, test, outcome, None, why))
    if verdict:
        return claims_json.run(records, python, interpreter, impl, verdict=verdict)
    refuted = {"daemon-terminated-on-exit": "refuted"}
    return claims_json.run(records, python, interpreter, impl, verdicts=refuted)


def run(*args, **kwargs):
    return matrix.Run(run_results(*args, **kwargs))


OK = ("ok", "ok", "ok")


@pytest.fixture
def results(tmp_path):
    runs = {
        "py313.json": run_results("3.13.0", {"exit-codes": OK, "daemon-terminated-on-exit": OK}),
        "py39.json": run_results("3.9.18", {"exit-codes": OK, "daemon-terminated-on-exit": OK}),
        "billiard.json": run_results(
            "3.13.0",
            {"exit-codes": ("ok", "ok", "dev"), "daemon-terminated-on-exit": OK},
            impl="billiard",
            reasons={("exit-codes", "forkserver"): "Exit code 255 <after a signal>."},
        ),
    }
    for name, results in runs.items():
        (tmp_path / name).write_text(results.to_json(), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a run")
    return tmp_path


def test_columns_are_ordered_stdlib_first_then_by_version(results):
    labels = [run.label for run in matrix.load(results)]
    assert labels == ["CPython 3.9", "CPython 3.13", "billiard 4.3.2 on CPython 3.13"]


def test_markdown_has_a_row_per_claim_and_a_cell_per_run_and_method(results):
    text = matrix.markdown(matrix.load(results))
    header = next(line for line in text.splitlines() if line.startswith("| claim"))
    assert [c.strip() for c in header.strip("|").split("|")] == [
        "claim",
        "verdict",
        "CPython 3.9",
        "CPython 3.13",
        "billiard 4.3.2 on CPython 3.13",
        "outcome differs by",
    ]
    row = next(line for line in text.splitlines() if line.startswith("| exit-codes"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[2:5] == ["✓ ✓ ✓", "✓ ✓ ✓", "✓ ✓ ≠"]  # fork, spawn, forkserver
    assert cells[5] == "start method, implementation"
    refuted = next(line for line in text.splitlines() if line.startswith("| daemon-"))
    assert "**refuted**" in refuted
    assert refuted.rstrip("| ").endswith("✓")  # nothing changes on this row
    assert "- exit-codes [forkserver]: Exit code 255 <after a signal>." in text


def test_what_a_claim_changes_with_is_found_per_dimension():
    base = {"c": OK}
    runs = [
        run("3.12.1", base),
        run("3.13.0", {"c": ("ok", "fail", "ok")}),
        run("3.12.1", base, interpreter="PyPy"),
    ]
    assert matrix.varies(runs, "c") == ["start method", "Python version"]
    assert matrix.varies(runs[:1] + runs[2:], "c") == []


def test_an_n_a_count_does_not_count_as_a_change():
    runs = [run("3.12.1", {"c": ("ok", "ok+na", "na")})]
    assert matrix.varies(runs, "c") == []
    assert [cell["symbol"] for cell in matrix._page(runs)["rows"][0]["cells"][0]] == [
        "✓",
        "✓+n/a",
        "n/a",
    ]


def test_undeclared_failures_are_called_out_above_the_table():
    runs = [run("3.12.1", {"c": ("ok", "fail", "ok")})]
    assert "**Runs with undeclared failures:** CPython 3.12." in matrix.markdown(runs)


def test_html_is_self_contained_and_escapes_text(results):
    page = matrix.to_html(matrix.load(results))
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"<script|<link|<img|@import|url\(|https?://", page)
    assert "Exit code 255 &lt;after a signal&gt;." in page
    assert page.count("<tr class=") == 2


def test_the_command_writes_both_files_and_prints_the_markdown(results, capsys):
    assert main(["matrix", str(results), "--print", "--out", str(results / "out")]) == 0
    out = capsys.readouterr().out
    assert out == (results / "out" / "matrix.md").read_text(encoding="utf-8")
    assert (results / "out" / "matrix.html").exists()


def test_an_empty_results_folder_is_an_error(tmp_path, capsys):
    assert main(["matrix", str(tmp_path)]) == 2
    assert "no claims JSON files" in capsys.readouterr().err


def observing_run(python, seen, interpreter="CPython", verdict="depends"):
    """A run whose target-must-pickle tests observed ``seen``: {(method, case): value}."""
    records = [
        outcomes.TestRecord(
            claim="target-must-pickle",
            start_method=method,
            test=f"spec/test_target_pickle.py::test_t[{method}-{case}]",
            outcome="passed",
            verdict=verdict,
            observed=value,
        )
        for (method, case), value in seen.items()
    ]
    return run(python, interpreter=interpreter, records=records, verdict=verdict)


def test_observed_values_are_shown_per_case_and_method_with_the_runs_that_saw_them():
    old = {("fork", "lambda"): "runs", ("spawn", "lambda"): "AttributeError in start()"}
    new = {("fork", "lambda"): "runs", ("spawn", "lambda"): "PicklingError in start()"}
    runs = [
        observing_run("3.9.18", old),
        observing_run("3.13.0", old),
        observing_run("3.14.0", new),
        observing_run("3.9.18", old, interpreter="PyPy"),
    ]
    [(claim, case, cells)] = matrix.observations(runs)
    assert (claim, case) == ("target-must-pickle", "lambda")
    assert cells["fork"] == [("runs", "")]  # every run saw it: no qualifier
    assert cells["spawn"] == [
        ("AttributeError in start()", "CPython 3.9, 3.13; PyPy"),  # its only run
        ("PicklingError in start()", "CPython 3.14"),
    ]
    text = matrix.markdown(runs)
    assert (
        "| target-must-pickle | lambda | runs | AttributeError in start() (CPython 3.9, 3.13;"
        " PyPy); PicklingError in start() (CPython 3.14) | – |"
    ) in text
    assert "PicklingError in start() <span" in matrix.to_html(runs)


def test_only_claims_that_depend_on_the_configuration_show_observed_values():
    runs = [observing_run("3.12.1", {("fork", ""): "0.12 s at once"}, verdict="holds")]
    assert matrix.observations(runs) == []
    assert "What each start method did" not in matrix.markdown(runs)


def test_a_case_is_a_test_s_parameters_without_its_start_method():
    assert matrix.case_of("spec/t.py::f[forkserver-local function]", "forkserver") == (
        "local function"
    )
    assert matrix.case_of("spec/t.py::f[spawn]", "spawn") == ""
    assert matrix.case_of("spec/t.py::f", "fork") == ""


def test_the_html_has_a_cell_per_run_and_method_and_escapes_what_markdown_writes_as_is():
    runs = [
        run("3.12.1", {"c": OK}, interpreter="Py<Py> & co"),
        run("3.13.0", {"c": ("ok", "fail", "ok+na")}),
    ]
    text, page = matrix.markdown(runs), matrix.to_html(runs)
    assert "| c | holds | ✓ ✓ ✓ | ✓ ✗ ✓+n/a | start method |" in text
    assert "| Py<Py> & co 3.12 |" in text
    assert "Py&lt;Py&gt; &amp; co 3.12" in page
    assert "Py<Py>" not in page
    row = page.split('<tr class="holds">')[1].split("</tr>")[0]
    cells = re.findall(r'<td class="([\w ]+)" title="([^"]*)">([^<]*)</td>', row)
    assert cells == [
        ("ok first", "verified", "✓"),
        ("ok", "verified", "✓"),
        ("ok", "verified", "✓"),
        ("ok first", "verified", "✓"),
        ("bad", "FAILED", "✗"),
        ("ok", "verified, 1 n/a", "✓+n/a"),
    ]


def test_every_json_file_goes_through_the_loader_and_one_of_another_format_stops_it(results):
    old = json.loads((results / "py39.json").read_text(encoding="utf-8"))
    del old["format"]  # the unversioned shape of before
    (results / "old.json").write_text(json.dumps(old), encoding="utf-8")
    with pytest.raises(outcomes.ResultsFormatError, match=r"old\.json: a claims JSON file without"):
        matrix.load(results)


def test_the_command_names_the_file_it_cannot_read(results, capsys):
    (results / "coverage.json").write_text('{"totals": {}}', encoding="utf-8")
    assert main(["matrix", str(results)]) == 2
    assert "coverage.json: not a claims JSON file" in capsys.readouterr().err


def test_two_runs_of_one_minor_version_are_labelled_with_their_patch_release(tmp_path):
    for name, python in (("py313.json", "3.13.0"), ("py313-unstable.json", "3.13.9")):
        (tmp_path / name).write_text(run_results(python, {"exit-codes": OK}).to_json())
    (tmp_path / "py314.json").write_text(run_results("3.14.0", {"exit-codes": OK}).to_json())
    labels = [r.label for r in matrix.load(tmp_path)]
    assert labels == ["CPython 3.13.0", "CPython 3.13.9", "CPython 3.14"]


def test_the_page_lists_what_changes_at_each_version_step_and_per_implementation():
    old = {("spawn", "lambda"): "AttributeError in start()"}
    new = {("spawn", "lambda"): "PicklingError in start()"}
    runs = [
        observing_run("3.9.18", old),
        observing_run("3.13.0", old),
        observing_run("3.14.0", new),
        observing_run("3.9.18", new, interpreter="PyPy"),
    ]
    titles = [title for title, _, _ in matrix.steps(runs)]
    assert titles == [
        "CPython 3.9 → CPython 3.13",
        "CPython 3.13 → CPython 3.14",
        "CPython 3.9 → PyPy 3.9",
    ]
    steps = {step["title"]: step["changes"] for step in matrix.changes(runs)}
    assert steps["CPython 3.9 → CPython 3.13"] == []
    assert [(c["method"], c["case"], c["a"], c["b"]) for c in steps["CPython 3.9 → PyPy 3.9"]] == [
        ("spawn", "test_t[lambda]", "AttributeError in start()", "PicklingError in start()")
    ]
    text = matrix.markdown(runs)
    assert "### CPython 3.13 → CPython 3.14" in text
    assert "| target-must-pickle | spawn | test_t[lambda] | AttributeError in start() |" in text


def test_the_page_names_each_run_s_exact_versions_commit_and_date():
    results = run_results("3.9.16", {"exit-codes": OK}, interpreter="PyPy")
    results.header.interpreter_version = "7.3.11"
    results.header.commit = "0123456789abcdef0123456789abcdef01234567"
    results.header.date = "2026-12-02T18:00:00+00:00"
    text = matrix.markdown([matrix.Run(results, "pypy3.json")])
    assert (
        "| PyPy 3.9 | PyPy 3.9.16 (PyPy 7.3.11) | 0123456789ab "
        "| 2026-12-02T18:00:00+00:00 | pypy3.json |" in text
    )


def test_what_a_pitfall_does_is_grouped_by_version_range_and_per_implementation():
    old, new = "AttributeError in start()", "PicklingError in start()"
    runs = [
        observing_run("3.9.18", {("spawn", "lambda"): old}),
        observing_run("3.12.1", {("spawn", "lambda"): old}),
        observing_run("3.13.0", {("spawn", "lambda"): old}),
        observing_run("3.14.0", {("spawn", "lambda"): new}),
        observing_run("3.15.0", {("spawn", "lambda"): new}),
        observing_run("3.9.18", {("spawn", "lambda"): new}, interpreter="PyPy"),
    ]
    assert matrix.by_version_text(runs, "target-must-pickle", "spawn") == (
        f"3.9–3.13: {old}; 3.14–3.15: {new}; PyPy 3.9: {new}"
    )
    same = [observing_run(p, {("spawn", "lambda"): old}) for p in ("3.9.18", "3.14.0")]
    assert matrix.by_version_text(same, "target-must-pickle", "spawn") == old
    assert matrix.by_version_text(same, "target-must-pickle", "fork") == "–"
    both = observing_run("3.13.0", {("spawn", "lambda"): "A", ("spawn", "bound method"): "A"})
    assert matrix.by_version_text([both], "target-must-pickle", "spawn") == "A"


def test_a_pitfall_s_cases_are_named_where_they_differ_within_a_run():
    run = observing_run("3.13.0", {("spawn", "lambda"): "A", ("spawn", "bound method"): "B"})
    assert matrix.by_version_text([run], "target-must-pickle", "spawn") == (
        "bound method: B · lambda: A"
    )
