"""What changed between two results: python -m mpspec diff A B."""

import claims_json
import pytest

from mpspec import outcomes
from mpspec.__main__ import main
from mpspec.tools import diff

TEST = "spec/test_target_pickle.py::test_t"


def results(python, records):
    """Results of one run made of ``records``: (claim, method, outcome, observed[, measured])."""
    recs = [
        outcomes.TestRecord(
            claim,
            method,
            f"{TEST}[{method}-{case}]",
            outcome,
            "depends",
            observed=seen,
            measured=measured,
        )
        for claim, method, case, outcome, seen, measured in (
            (*r, None) if len(r) == 5 else r for r in records
        )
    ]
    return claims_json.run(recs, python, verdict="depends")


OLD = [
    ("target-must-pickle", "fork", "lambda", "passed", "runs"),
    ("target-must-pickle", "spawn", "lambda", "passed", "AttributeError in start()"),
    ("exit-codes", "fork", "x", "passed", None),
]


def changed(**edits):
    """OLD with the records at ``edits`` ({index: record}) replaced."""
    return [edits.get(f"r{i}", rec) for i, rec in enumerate(OLD)]


def test_the_same_results_have_no_difference():
    assert diff.compare(results("3.13.0", OLD), results("3.14.0", OLD)) == []


def test_a_changed_observed_value_is_a_difference_of_that_case_and_method():
    new = changed(r1=("target-must-pickle", "spawn", "lambda", "passed", "PicklingError"))
    assert diff.compare(results("3.13.0", OLD), results("3.14.0", new)) == [
        diff.Change(
            "target-must-pickle",
            "spawn",
            "observed",
            f"{TEST}[lambda]",
            "AttributeError in start()",
            "PicklingError",
        )
    ]


def test_a_changed_cell_is_a_difference_and_so_is_a_changed_count_of_n_a_tests():
    failed = changed(r2=("exit-codes", "fork", "x", "failed", None))
    skipped = [*OLD, ("exit-codes", "fork", "y", "skipped", None)]
    old = results("3.13.0", OLD)
    assert diff.compare(old, results("3.13.0", failed)) == [
        diff.Change("exit-codes", "fork", "cell", "", "verified", "FAILED")
    ]
    assert diff.compare(old, results("3.13.0", skipped)) == [
        diff.Change("exit-codes", "fork", "cell", "", "verified", "verified, 1 n/a")
    ]


def test_a_measured_figure_is_never_a_difference():
    a = changed(r0=("target-must-pickle", "fork", "lambda", "passed", "runs", "0.31 s"))
    b = changed(r0=("target-must-pickle", "fork", "lambda", "passed", "runs", "0.52 s"))
    assert diff.compare(results("3.13.0", a), results("3.13.0", b)) == []


def test_a_claim_one_side_lacks_is_a_claim_it_did_not_run():
    fewer = OLD[:2]
    changes = diff.compare(results("3.13.0", OLD), results("3.13.0", fewer))
    assert [(c.claim, c.method, c.what, c.a, c.b) for c in changes] == [
        ("exit-codes", "fork", "cell", "verified", "-")
    ]


def write(folder, name, res):
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(res.to_json(), encoding="utf-8")
    return folder / name


def test_the_command_compares_folders_by_file_name_and_exits_1_on_a_difference(tmp_path, capsys):
    new = changed(r1=("target-must-pickle", "spawn", "lambda", "passed", "PicklingError"))
    write(tmp_path / "a", "py313.json", results("3.13.0", OLD))
    write(tmp_path / "a", "py39.json", results("3.9.18", OLD))
    write(tmp_path / "b", "py313.json", results("3.13.0", new))
    write(tmp_path / "b", "py39.json", results("3.9.18", OLD))
    write(tmp_path / "b", "pypy3.json", results("3.9.16", OLD))
    assert main(["diff", str(tmp_path / "a"), str(tmp_path / "b")]) == 1
    out = capsys.readouterr().out
    assert "py313.json: CPython 3.13.0, multiprocessing -> CPython 3.13.0, multiprocessing" in out
    assert "    spawn      test_t[lambda]: AttributeError in start() -> PicklingError" in out
    assert "py39.json: CPython 3.9.18" in out
    assert "  no claim differs" in out
    assert "pypy3.json: only in" in out
    assert out.endswith("1 difference(s) in 1 claim(s); 1 run(s) on one side only\n")


def test_the_command_exits_0_when_nothing_differs(tmp_path, capsys):
    a = write(tmp_path, "a.json", results("3.13.0", OLD))
    b = write(tmp_path, "b.json", results("3.14.0", OLD))
    assert main(["diff", str(a), str(b)]) == 0
    assert capsys.readouterr().out.endswith("no differences\n")


@pytest.mark.parametrize("kind", ["file and folder", "not claims JSON"])
def test_the_command_exits_2_on_what_it_cannot_compare(tmp_path, capsys, kind):
    a = write(tmp_path / "a", "a.json", results("3.13.0", OLD))
    b = tmp_path / "a"
    if kind == "not claims JSON":
        b = tmp_path / "b.json"
        b.write_text("{}", encoding="utf-8")
    assert main(["diff", str(a), str(b)]) == 2
    assert "python -m mpspec diff:" in capsys.readouterr().err
