"""``python -m mpspec``: the project's commands.

``matrix RESULTS_DIR [--out DIR]``  merge claims JSON files into matrix.md and matrix.html
``guards [PATH ...]``              list version guards that no supported Python can change
``book [--results DIR] [--lang L]`` write the claims book (Markdown and HTML, en and zh)
``book --check``                   fail if the committed book in docs/ is out of date
``diff A B``                       what differs between two results (files or folders)
``publish RESULTS_DIR``            commit-ready results: docs/results/, docs/matrix.{md,html}
``publish --check``                fail if docs/matrix.* are not what docs/results/ renders
"""

import argparse
import sys
from pathlib import Path


def _matrix(args):
    from mpspec.tools import matrix

    md_path, html_path, text = matrix.write(args.results, args.out)
    if args.print:
        sys.stdout.write(text)
    print(f"wrote {md_path} and {html_path}", file=sys.stderr)
    return 0


def _guards(args):
    from mpspec.tools import guards

    paths = args.paths or [Path(__file__).resolve().parent.parent]
    stale = [finding for path in paths for finding in guards.scan(Path(path))]
    for finding in stale:
        print(finding)
    supported = ", ".join(guards.SUPPORTED)
    if stale:
        print(f"{len(stale)} stale version guard(s); supported Pythons: {supported}")
        return 1
    print(f"no stale version guards (supported Pythons: {supported})")
    return 0


def _book(args):
    from mpspec.tools import book, matrix

    root = Path(__file__).resolve().parent.parent
    if args.check:
        stale = book.stale(root, root / "docs")
        for name in stale:
            print(f"docs/{name} is out of date: run python -m mpspec book")
        return 1 if stale else 0
    runs = matrix.load(args.results) if args.results else ()
    out = args.out or (args.results if args.results else root / "docs")
    langs = [args.lang] if args.lang else book.LANGS
    for path in book.write(root, out, runs, langs):
        print(f"wrote {path}")
    return 0


def _diff(args):
    from mpspec.tools import diff

    text, differs = diff.report(args.a, args.b)
    sys.stdout.write(text)
    return 1 if differs else 0


def _publish(args):
    from mpspec.tools import publish

    root = Path(__file__).resolve().parent.parent
    if args.check:
        stale = publish.stale(root)
        for name in stale:
            print(f"docs/{name} is not what docs/results/ renders: {publish.REFRESH}")
        return 1 if stale else 0
    if not args.results:
        print("python -m mpspec publish: give RESULTS_DIR, or --check", file=sys.stderr)
        return 2
    for path in publish.publish(args.results, root):
        print(f"wrote {path.relative_to(root)}")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m mpspec", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    m = commands.add_parser("matrix", help="merge claims JSON files into one matrix")
    m.add_argument("results", metavar="RESULTS_DIR", help="folder of claims JSON files")
    m.add_argument("--out", metavar="DIR", help="where to write (default: RESULTS_DIR)")
    m.add_argument("--print", action="store_true", help="also print the Markdown")
    m.set_defaults(run=_matrix)
    g = commands.add_parser("guards", help="list stale version guards")
    g.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: project)")
    g.set_defaults(run=_guards)
    b = commands.add_parser("book", help="write the claims book")
    b.add_argument("--results", metavar="DIR", help="claims JSON files to show outcomes from")
    b.add_argument("--lang", choices=("en", "zh"), help="one language only (default: both)")
    b.add_argument("--out", metavar="DIR", help="where to write (default: docs/, or DIR)")
    b.add_argument("--check", action="store_true", help="compare docs/ with a fresh build")
    b.set_defaults(run=_book)
    d = commands.add_parser("diff", help="what differs between two results")
    d.add_argument("a", metavar="A", help="a claims JSON file, or a folder of them")
    d.add_argument("b", metavar="B", help="the same kind: file or folder")
    d.set_defaults(run=_diff)
    p = commands.add_parser("publish", help="publish a full run's results in docs/")
    p.add_argument("results", nargs="?", metavar="RESULTS_DIR", help="claims JSON files")
    p.add_argument("--check", action="store_true", help="compare docs/matrix.* with a render")
    p.set_defaults(run=_publish)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except (OSError, ValueError) as exc:
        print(f"python -m mpspec {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
