"""Guard hygiene: version guards that no supported Python can change.

A version guard names the versions it applies to: ``sys.version_info >= (3, 13)``
in code, ``python = ">=3.12"`` in an expectations file. A guard whose outcome
is the same on every supported Python (it names a version outside the range,
or a bound the whole range is on one side of) is dead weight: it hides a branch
that never runs, or an expectation that never applies. ``python -m mpspec
guards`` lists them so they get cleaned up.
"""

import ast
import operator

from packaging.specifiers import InvalidSpecifier, SpecifierSet

try:
    import tomllib
except ImportError:  # Python < 3.11
    import tomli as tomllib

# The Pythons mpspec supports (pyproject.toml's requires-python is the lower bound).
SUPPORTED = ("3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.15")
_SKIP_DIRS = {".git", ".tox", ".venv", "venv", "build", "dist", "__pycache__", "node_modules"}
_OPS = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}
_FLIPPED = {ast.Lt: ast.Gt, ast.LtE: ast.GtE, ast.Gt: ast.Lt, ast.GtE: ast.LtE}


def _versions():
    return [tuple(int(p) for p in v.split(".")) for v in SUPPORTED]


def _is_version_info(node):
    """``sys.version_info`` or ``sys.version_info[:n]``."""
    if isinstance(node, ast.Subscript):
        node = node.value
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "version_info"
        and isinstance(node.value, ast.Name)
        and node.value.id == "sys"
    )


def _literal_version(node):
    try:
        value = ast.literal_eval(node)
    except ValueError:
        return None
    if isinstance(value, tuple) and value and all(isinstance(p, int) for p in value):
        return value
    return None


def code_guards(source, filename="<source>"):
    """``[(line, text, outcomes)]`` for each ``sys.version_info`` comparison in ``source``,
    where ``outcomes`` is the set of results over the supported Pythons."""
    tree = ast.parse(source, filename)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare) or len(node.ops) != 1:
            continue
        left, op, right = node.left, type(node.ops[0]), node.comparators[0]
        if _is_version_info(right) and op in _FLIPPED:
            left, right, op = right, left, _FLIPPED[op]
        bound = _literal_version(right)
        if not _is_version_info(left) or bound is None or op not in _OPS:
            continue
        # (3, 13, 0) rather than (3, 13): the earliest release of each minor version.
        outcomes = {_OPS[op](v + (0,) * (len(bound) - 2), bound) for v in _versions()}
        found.append((node.lineno, ast.get_source_segment(source, node), outcomes))
    return found


def specifier_guards(text, source="<toml>"):
    """``[(where, specifier, outcomes)]`` for each ``python`` field of an expectations file."""
    data = tomllib.loads(text)
    found = []
    for index, entry in enumerate(data.get("deviation", []), 1):
        spec = entry.get("python")
        if not spec:
            continue
        where = f"deviation #{index} ({entry.get('claim', '?')})"
        try:
            specifier = SpecifierSet(spec)
        except InvalidSpecifier:
            continue  # the expectations loader reports it
        outcomes = {specifier.contains(v, prereleases=True) for v in SUPPORTED}
        found.append((where, spec, outcomes))
    return found


def _files(root):
    if root.is_file():
        yield root
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not _SKIP_DIRS & set(path.relative_to(root).parts):
            yield path


def scan(root):
    """Lines describing every stale guard under ``root`` (a file or a folder)."""
    stale = []
    for path in _files(root):
        if path.suffix == ".py":
            guards = code_guards(path.read_text(encoding="utf-8"), str(path))
        elif path.suffix == ".toml" and path.parent.name == "expectations":
            guards = specifier_guards(path.read_text(encoding="utf-8"), str(path))
        else:
            continue
        for where, text, outcomes in guards:
            if len(outcomes) == 1:
                always = "true" if outcomes.pop() else "false"
                stale.append(f"{path}:{where}: {text} is always {always} on Python {SUPPORTED[0]}+")
    return stale
