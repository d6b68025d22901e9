"""The claims table and the claims JSON."""

import json

import pytest

import mpspec.outcomes
from mpspec import catalogue

CLAIMS = catalogue.parse(
    """
[[claim]]
id = "queue-capacity"
section = "Queue"
claim = "Queue(n) holds n items."
verdict = "holds"
claim_zh = "中文。"
fact = [{ en = "It does.", zh = "中文。", tests = ["test_0"] }]

[[claim]]
id = "daemon-terminated-on-exit"
section = "Process"
claim = "Daemons finish after the parent."
verdict = "refuted"
claim_zh = "中文。"
fact = [{ en = "They are terminated.", zh = "中文。", tests = ["test_0"] }]
"""
)


def rec(claim, method, outcome, n=0):
    verdict = CLAIMS[claim].verdict
    return mpspec.outcomes.record(claim, method, f"spec/t.py::test_{n}[{method}]", outcome, verdict)


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        (["passed", "passed"], "verified"),
        (["passed", "failed"], "FAILED"),
        (["error", "passed"], "ERROR"),
        (["failed", "error"], "FAILED"),
        (["skipped", "skipped"], "n/a"),
        (["passed", "skipped"], "verified, 1 n/a"),
        ([], "-"),
    ],
)
def test_a_cell_folds_the_outcomes_of_a_claim_s_tests(outcomes, expected):
    assert mpspec.outcomes.cell(outcomes) == expected


def test_table_has_a_row_per_catalogue_claim_and_a_column_per_start_method():
    records = [
        rec("queue-capacity", "fork", "passed"),
        rec("queue-capacity", "spawn", "failed"),
        rec("queue-capacity", "forkserver", "skipped"),
    ]
    lines = mpspec.outcomes.table(records, CLAIMS, "title")
    assert lines[0] == "title"
    assert lines[1].split() == ["claim", "verdict", "fork", "spawn", "forkserver"]
    assert lines[3].split() == ["queue-capacity", "holds", "verified", "FAILED", "n/a"]
    # A claim with no test in this run is listed with "-" cells, not dropped.
    assert lines[4].split() == ["daemon-terminated-on-exit", "refuted", "-", "-", "-"]


def test_json_carries_the_environment_and_one_record_per_test():
    records = [
        rec("queue-capacity", "fork", "passed", 1),
        rec("queue-capacity", "fork", "failed", 2),
    ]
    data = json.loads(mpspec.outcomes.to_json(records, CLAIMS, "mp_wrapper"))
    assert data["implementation"] == "mp_wrapper"
    assert data["python"].count(".") == 2
    assert data["platform"]
    assert data["results"] == records
    assert set(data["results"][0]) == {"claim", "start_method", "test", "outcome", "verdict"}
    assert data["claims"]["queue-capacity"]["cells"]["fork"] == "FAILED"
    assert data["claims"]["daemon-terminated-on-exit"]["verdict"] == "refuted"


def test_not_applicable_lines_give_each_claim_s_reason_and_methods():
    records = [
        mpspec.outcomes.record(
            "queue-capacity", m, f"t::x[{m}]", "skipped", "holds", "n/a: docs only"
        )
        for m in ("fork", "spawn")
    ] + [rec("queue-capacity", "forkserver", "passed")]
    assert mpspec.outcomes.not_applicable(records) == [
        "queue-capacity [fork, spawn]: n/a: docs only"
    ]
