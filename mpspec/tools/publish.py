"""The published results: ``python -m mpspec publish RESULTS_DIR`` and ``--check``.

The claims JSON files of a full matrix run (every env CI runs, ``results/`` after
``.ci/run`` or tox) are committed in ``docs/results/``, and the matrix is rendered
from them as ``docs/matrix.md`` and ``docs/matrix.html``, so that anyone can read
it without running anything. CI compares its fresh results with the published
ones (``python -m mpspec diff docs/results results``) and fails when a cell or an
observed value differs; ``--check`` fails when the pages are not those the
published results render. Publishing writes the claims book again too: its
"Moving off fork" table is made of the published runs' observed values.
"""

import shutil
from pathlib import Path

from mpspec.tools import matrix

REFRESH = (
    "refresh them from a full run of CI's envs (bash .ci/run, or tox with every env): "
    "python -m mpspec publish results, then commit docs/"
)


def published(root):
    return Path(root) / "docs" / "results"


def pages(results_dir):
    """``{file name: text}`` of the matrix pages the results in ``results_dir`` render."""
    runs = matrix.load(results_dir)
    return {"matrix.md": matrix.markdown(runs), "matrix.html": matrix.to_html(runs)}


def publish(results_dir, root):
    """Copy the claims JSON files of ``results_dir`` into ``docs/results/`` (replacing
    what was there), write the matrix pages into ``docs/``, and the claims book again
    (its "Moving off fork" table comes from the published runs); return the paths
    written."""
    sources = sorted(Path(results_dir).glob("*.json"))
    matrix.load(results_dir)  # every file through the loader before anything is replaced
    target = published(root)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    if target.resolve() != Path(results_dir).resolve():  # else: render them again only
        for old in target.glob("*.json"):
            old.unlink()
        for source in sources:
            shutil.copyfile(source, target / source.name)
            written.append(target / source.name)
    for name, text in pages(target).items():
        (Path(root) / "docs" / name).write_text(text, encoding="utf-8")
        written.append(Path(root) / "docs" / name)
    if (Path(root) / "spec" / "claims.toml").exists():
        from mpspec.tools import book

        written += book.write(root, Path(root) / "docs")
    return written


def stale(root):
    """The pages in ``docs/`` that differ from what ``docs/results/`` renders, or are missing."""
    out = []
    for name, text in pages(published(root)).items():
        path = Path(root) / "docs" / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            out.append(name)
    return out
