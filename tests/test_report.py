"""The results contract (mpspec/outcomes.py): cells, the claims table, the claims JSON
and its loader."""

import dataclasses
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import mpspec.outcomes
from mpspec import catalogue, outcomes
from mpspec.outcomes import Cell, ResultsFormatError

CLAIMS = catalogue.parse(
    """
[[section]]
id = "Queue"
en = "Queue"
zh = "队列"

[[section]]
id = "Process"
en = "Process"
zh = "进程"

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


def rec(claim, method, outcome, n=0, **extra):
    verdict = CLAIMS[claim].verdict
    return mpspec.outcomes.TestRecord(
        claim, method, f"spec/t.py::test_{n}[{method}]", outcome, verdict, **extra
    )


@pytest.mark.parametrize(
    ("outcomes", "kind", "text", "symbol"),
    [
        (["passed", "passed"], "verified", "verified", "✓"),
        (["passed", "failed"], "failed", "FAILED", "✗"),
        (["error", "passed"], "error", "ERROR", "E"),
        (["failed", "error"], "failed", "FAILED", "✗"),
        (["deviates", "passed", "skipped"], "deviates", "deviates (expected)", "≠"),
        (["skipped", "skipped"], "n/a", "n/a", "n/a"),
        (["passed", "skipped"], "verified", "verified, 1 n/a", "✓+n/a"),
        ([], "not-run", "-", "–"),
    ],
)
def test_a_cell_folds_the_outcomes_of_a_claim_s_tests(outcomes, kind, text, symbol):
    cell = Cell.fold(outcomes)
    assert (cell.kind, cell.text, cell.symbol) == (kind, text, symbol)
    assert cell.counts == {o: outcomes.count(o) for o in mpspec.outcomes.OUTCOMES}


def test_the_legend_has_one_entry_per_cell_kind_and_tells_them_apart():
    folded = [["passed"], ["failed"], ["error"], ["deviates"], ["skipped"], []]
    legend = mpspec.outcomes.LEGEND
    assert set(legend) == {Cell.fold(outcomes).kind for outcomes in folded}
    for part in ("word", "symbol", "meaning"):
        assert len({getattr(kind, part) for kind in legend.values()}) == len(legend), part


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


def test_json_carries_its_format_the_environment_and_one_record_per_test():
    records = [
        rec("queue-capacity", "fork", "passed", 1),
        rec("queue-capacity", "fork", "failed", 2, failure="AssertionError"),
        rec("queue-capacity", "spawn", "skipped", 3, reason="n/a: docs only"),
    ]
    results = mpspec.outcomes.collect(records, CLAIMS, "mp_wrapper")
    data = json.loads(results.to_json())
    assert data["format"] == mpspec.outcomes.FORMAT == 1
    assert data["implementation"] == "mp_wrapper"
    assert data["python"].count(".") == 2
    for name in ("platform", "sys_platform", "interpreter_version", "mpspec_version"):
        assert data[name], name
    assert [r["test"] for r in data["results"]] == [r.test for r in records]
    # Only the fields that apply are written.
    assert set(data["results"][0]) == {"claim", "start_method", "test", "outcome", "verdict"}
    assert data["results"][1]["failure"] == "AssertionError"
    # Cells travel as data: a kind and a count per outcome, never text to be split.
    assert data["claims"]["queue-capacity"]["cells"]["fork"] == {
        "kind": "failed",
        "counts": {"passed": 1, "failed": 1, "skipped": 0, "error": 0, "deviates": 0},
    }
    assert data["claims"]["queue-capacity"]["cells"]["spawn"]["kind"] == "n/a"
    assert data["claims"]["daemon-terminated-on-exit"]["verdict"] == "refuted"
    assert data["claims"]["daemon-terminated-on-exit"]["cells"]["fork"]["kind"] == "not-run"
    assert data["tests"] == []


def test_the_loader_reads_back_exactly_what_the_writer_wrote(tmp_path):
    records = [
        rec("queue-capacity", "fork", "passed", 1, timing="0.1 s given", observed="seen"),
        rec("queue-capacity", "spawn", "deviates", 2, reason="Holds one more."),
        rec("queue-capacity", "forkserver", "error", 3, failure="TypeError"),
    ]
    tests = [mpspec.outcomes.SpecTest("queue-capacity", "test_1", "Doc.", "spec/t.py", 7)]
    results = mpspec.outcomes.collect(records, CLAIMS, "multiprocessing", tests)
    path = tmp_path / "run.json"
    path.write_text(results.to_json(), encoding="utf-8")
    loaded = mpspec.outcomes.load(path)
    assert loaded == results
    assert loaded.cell("queue-capacity", "spawn").text == "deviates (expected)"
    assert loaded.cell("no-such-claim", "fork").kind == "not-run"


def valid():
    return json.loads(
        mpspec.outcomes.collect([rec("queue-capacity", "fork", "passed")], CLAIMS, "m").to_json()
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("format"), "without a format version (written before format 1)"),
        (lambda d: d.update(format=2), "claims JSON format 2; this mpspec reads format 1"),
        (lambda d: d.pop("python"), ": python is missing"),
        (lambda d: d["results"][0].update(outcome="verified"), "results[0].outcome is 'verified'"),
        (lambda d: d["results"][0].update(start_method="thread"), "results[0].start_method is"),
        (
            lambda d: d["claims"]["queue-capacity"]["cells"]["fork"].update(kind="FAILED"),
            "claims.queue-capacity.cells.fork.kind is 'FAILED'",
        ),
        (
            lambda d: d["claims"]["queue-capacity"]["cells"]["fork"]["counts"].pop("error"),
            "counts must count exactly passed, failed, skipped, error, deviates",
        ),
        (lambda d: d["results"][0].update(failure=3), "results[0].failure has the wrong type"),
    ],
)
def test_the_loader_refuses_another_format_or_a_malformed_file_and_says_where(change, message):
    data = valid()
    change(data)
    with pytest.raises(ResultsFormatError, match=r"^run: ") as caught:
        mpspec.outcomes.loads(json.dumps(data), source="run")
    assert message in str(caught.value)


def test_the_loader_refuses_what_is_not_a_claims_json_file():
    with pytest.raises(ResultsFormatError, match=r"^run: not JSON"):
        mpspec.outcomes.loads("{", source="run")
    with pytest.raises(ResultsFormatError, match=r"^run: not a claims JSON file"):
        mpspec.outcomes.loads('{"coverage": 97}', source="run")


def test_n_a_and_deviation_lines_give_each_claim_s_reason_and_methods():
    records = [
        rec("queue-capacity", m, "skipped", reason="n/a: docs only") for m in ("fork", "spawn")
    ] + [
        rec("queue-capacity", "forkserver", "passed"),
        rec("daemon-terminated-on-exit", "spawn", "deviates", reason="Joined instead."),
    ]
    assert mpspec.outcomes.not_applicable(records) == [
        "queue-capacity [fork, spawn]: n/a: docs only"
    ]
    assert mpspec.outcomes.deviations(records) == [
        "daemon-terminated-on-exit [spawn]: Joined instead."
    ]


FORMAT_DOC = Path(__file__).resolve().parent.parent / "docs" / "results-format.md"


def test_the_format_document_s_example_loads_and_every_field_is_described():
    text = FORMAT_DOC.read_text(encoding="utf-8")
    (example,) = re.findall(r"```json\n(.*?)```", text, re.S)
    results = mpspec.outcomes.loads(example, source="the example")
    assert results.cell("target-must-pickle", "spawn").text == "deviates (expected)"
    assert f"# The claims JSON: format {mpspec.outcomes.FORMAT}\n" in text
    described = set(re.findall(r"^\| `([\w/-]+)` \|", text, re.M))
    records = (
        mpspec.outcomes.Header,
        mpspec.outcomes.ClaimSummary,
        mpspec.outcomes.Cell,
        mpspec.outcomes.TestRecord,
        mpspec.outcomes.SpecTest,
    )
    fields = {f.name for record in records for f in dataclasses.fields(record)}
    fields |= {"format", "claims", "results", "tests"} | set(mpspec.outcomes.LEGEND)
    assert fields - described == set()


@pytest.mark.skipif(
    shutil.which("git") is None, reason="n/a: git is not installed here (Debian unstable's root)"
)
def test_a_run_records_the_commit_it_tested_and_whether_the_tree_differed(tmp_path):
    def git(*args):
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True)

    assert outcomes.git_commit(tmp_path) is None  # not a checkout
    git("init", "-q")
    (tmp_path / "f.txt").write_text("one\n")
    git("add", "f.txt")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "one")
    head = subprocess.run(
        ["git", "-C", str(tmp_path), "rev-parse", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    assert outcomes.git_commit(tmp_path) == head
    (tmp_path / "untracked.txt").write_text("not part of the tree\n")
    assert outcomes.git_commit(tmp_path) == head
    (tmp_path / "f.txt").write_text("two\n")
    assert outcomes.git_commit(tmp_path) == head + "-dirty"


def test_a_header_without_commit_and_date_still_loads():
    header = outcomes.environment("multiprocessing")
    data = outcomes.Results(header, {}, []).to_dict()
    del data["commit"], data["date"]
    loaded = outcomes.from_dict(data)
    assert (loaded.header.commit, loaded.header.date) == (None, None)


def test_without_git_the_commit_is_read_from_the_git_folder_loose_or_packed(tmp_path):
    """Made by hand, as git lays it out: no git needed (Debian unstable's root has none)."""
    sha, other = "1" * 40, "2" * 40
    git_dir = tmp_path / ".git"
    (git_dir / "refs" / "heads").mkdir(parents=True)
    (git_dir / "HEAD").write_text("ref: refs/heads/main\n")
    (git_dir / "refs" / "heads" / "main").write_text(sha + "\n")
    (tmp_path / "sub").mkdir()
    assert outcomes._head_from_files(tmp_path / "sub") == sha  # a loose ref, from below
    (git_dir / "refs" / "heads" / "main").unlink()
    (git_dir / "packed-refs").write_text(
        f"# pack-refs\n{other} refs/heads/other\n{sha} refs/heads/main\n"
    )
    assert outcomes._head_from_files(tmp_path) == sha  # packed, as a fresh clone has it
    (git_dir / "HEAD").write_text(other + "\n")
    assert outcomes._head_from_files(tmp_path) == other  # a detached HEAD names the commit
    worktree = tmp_path / "wt"
    (git_dir / "worktrees" / "wt").mkdir(parents=True)
    (git_dir / "worktrees" / "wt" / "HEAD").write_text("ref: refs/heads/main\n")
    (git_dir / "worktrees" / "wt" / "commondir").write_text("../..\n")
    worktree.mkdir()
    (worktree / ".git").write_text(f"gitdir: {git_dir / 'worktrees' / 'wt'}\n")
    assert outcomes._head_from_files(worktree) == sha  # a worktree's branch, in the common dir
