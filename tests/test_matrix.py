"""The merged claims matrix: python -m mpspec matrix RESULTS_DIR."""

import json
import re

import pytest

from mpspec.__main__ import main
from mpspec.tools import matrix


def run_json(python, cells, impl="multiprocessing", interpreter="CPython", reasons=()):
    """A claims JSON as pytest --claims-json writes it; ``cells``: {claim: (f, s, fs)}."""
    claims = {
        cid: {
            "verdict": "refuted" if cid == "daemon-terminated-on-exit" else "holds",
            "cells": dict(zip(("fork", "spawn", "forkserver"), row)),
        }
        for cid, row in cells.items()
    }
    results = [
        {"claim": cid, "start_method": m, "test": "t", "outcome": "deviates", "reason": why}
        for cid, m, why in reasons
    ]
    return {
        "python": python,
        "python_implementation": interpreter,
        "implementation": impl,
        "implementation_version": "4.3.2" if impl != "multiprocessing" else None,
        "claims": claims,
        "results": results,
    }


OK = ("verified", "verified", "verified")


@pytest.fixture
def results(tmp_path):
    runs = {
        "py313.json": run_json("3.13.0", {"exit-codes": OK, "daemon-terminated-on-exit": OK}),
        "py39.json": run_json("3.9.18", {"exit-codes": OK, "daemon-terminated-on-exit": OK}),
        "billiard.json": run_json(
            "3.13.0",
            {
                "exit-codes": ("verified", "verified", "deviates (expected)"),
                "daemon-terminated-on-exit": OK,
            },
            impl="billiard",
            reasons=[("exit-codes", "forkserver", "Exit code 255 <after a signal>.")],
        ),
    }
    for name, data in runs.items():
        (tmp_path / name).write_text(json.dumps(data))
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
        matrix.Run(run_json("3.12.1", base)),
        matrix.Run(run_json("3.13.0", {"c": ("verified", "FAILED", "verified")})),
        matrix.Run(run_json("3.12.1", base, interpreter="PyPy")),
    ]
    assert matrix.varies(runs, "c") == ["start method", "Python version"]
    assert matrix.varies(runs[:1] + runs[2:], "c") == []


def test_an_n_a_count_does_not_count_as_a_change():
    runs = [matrix.Run(run_json("3.12.1", {"c": ("verified", "verified, 1 n/a", "n/a")}))]
    assert matrix.varies(runs, "c") == []
    assert matrix._symbol("verified, 1 n/a") == "✓+n/a"


def test_undeclared_failures_are_called_out_above_the_table():
    runs = [matrix.Run(run_json("3.12.1", {"c": ("verified", "FAILED", "verified")}))]
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
    data = run_json(python, {"target-must-pickle": OK}, interpreter=interpreter)
    data["results"] = [
        {
            "claim": "target-must-pickle",
            "start_method": method,
            "test": f"spec/test_target_pickle.py::test_t[{method}-{case}]",
            "outcome": "passed",
            "verdict": verdict,
            "observed": value,
        }
        for (method, case), value in seen.items()
    ]
    return matrix.Run(data)


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
        matrix.Run(run_json("3.12.1", {"c": OK}, interpreter="Py<Py> & co")),
        matrix.Run(run_json("3.13.0", {"c": ("verified", "FAILED", "verified, 1 n/a")})),
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
