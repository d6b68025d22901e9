"""The published results: docs/results/ and the matrix pages rendered from them."""

import claims_json
import pytest

from mpspec import outcomes
from mpspec.tools import publish


def results(python):
    records = [outcomes.TestRecord("exit-codes", "fork", "spec/t.py::test[fork]", "passed", None)]
    return claims_json.run(
        records,
        python,
        commit="0123456789abcdef0123456789abcdef01234567",
        date="2026-12-02T18:00:00+00:00",
    )


@pytest.fixture
def run_dir(tmp_path):
    folder = tmp_path / "results"
    folder.mkdir()
    for name, python in (("py39.json", "3.9.18"), ("py313.json", "3.13.0")):
        (folder / name).write_text(results(python).to_json())
    (folder / "matrix.md").write_text("tox's matrix env writes these beside the runs")
    return folder


def test_publishing_copies_the_runs_and_renders_the_pages_from_them(tmp_path, run_dir):
    root = tmp_path / "repo"
    (root / "docs" / "results").mkdir(parents=True)
    (root / "docs" / "results" / "py38.json").write_text("a run no longer published")
    publish.publish(run_dir, root)
    assert sorted(p.name for p in (root / "docs" / "results").iterdir()) == [
        "py313.json",
        "py39.json",
    ]
    page = (root / "docs" / "matrix.md").read_text()
    assert "| CPython 3.9 | CPython 3.9.18 | 0123456789ab | 2026-12-02T18:00:00+00:00 |" in page
    assert (root / "docs" / "matrix.html").read_text().startswith("<!DOCTYPE html>")
    assert publish.stale(root) == []


def test_a_page_that_is_not_what_the_published_results_render_is_stale(tmp_path, run_dir):
    root = tmp_path / "repo"
    publish.publish(run_dir, root)
    page = root / "docs" / "matrix.md"
    page.write_text(page.read_text().replace("✓", "✗", 1))
    assert publish.stale(root) == ["matrix.md"]
    (root / "docs" / "matrix.html").unlink()
    assert publish.stale(root) == ["matrix.md", "matrix.html"]


def test_a_folder_with_a_file_the_loader_refuses_publishes_nothing(tmp_path, run_dir):
    root = tmp_path / "repo"
    publish.publish(run_dir, root)
    (run_dir / "py314.json").write_text("{}")
    with pytest.raises(outcomes.ResultsFormatError):
        publish.publish(run_dir, root)
    assert sorted(p.name for p in (root / "docs" / "results").iterdir()) == [
        "py313.json",
        "py39.json",
    ]


def test_publishing_the_published_folder_renders_again_and_loses_nothing(tmp_path, run_dir):
    root = tmp_path / "repo"
    publish.publish(run_dir, root)
    (root / "docs" / "matrix.md").unlink()
    publish.publish(root / "docs" / "results", root)
    assert sorted(p.name for p in (root / "docs" / "results").iterdir()) == [
        "py313.json",
        "py39.json",
    ]
    assert publish.stale(root) == []
