"""Guard hygiene: python -m mpspec guards."""

import re
from pathlib import Path

import pytest

from mpspec.__main__ import main
from mpspec.tools import guards

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("source", "stale"),
    [
        ("sys.version_info >= (3, 13)", False),
        ("sys.version_info < (3, 14)", False),
        ("(3, 12) <= sys.version_info", False),
        ("sys.version_info[:2] == (3, 10)", False),
        ("sys.version_info >= (3, 8)", True),  # names a version below the range
        ("sys.version_info >= (3, 9)", True),  # the lower bound itself: always true
        ("sys.version_info < (3, 20)", True),  # above the range
        ("sys.version_info < (2, 7)", True),
    ],
)
def test_a_guard_is_stale_when_no_supported_python_changes_its_outcome(source, stale):
    ((_, text, outcomes),) = guards.code_guards(f"import sys\nif {source}:\n    pass\n")
    assert text == source
    assert (len(outcomes) == 1) is stale


def test_comparisons_that_are_not_version_guards_are_ignored():
    assert (
        guards.code_guards("x = (3, 8)\nif x >= (3, 8): pass\nif sys.platform < 'z': pass\n") == []
    )


@pytest.mark.parametrize(
    ("spec", "stale"), [(">=3.12", False), ("<3.10", False), (">=3.8", True), ("<3.9", True)]
)
def test_an_expectation_s_python_condition_is_checked_the_same_way(spec, stale):
    text = f'[[deviation]]\nclaim = "c"\npython = "{spec}"\nactual = "a"\nreason = "r"\n'
    ((where, shown, outcomes),) = guards.specifier_guards(text)
    assert (where, shown) == ("deviation #1 (c)", spec)
    assert (len(outcomes) == 1) is stale


def test_scan_lists_stale_guards_with_file_and_line(tmp_path):
    (tmp_path / "old.py").write_text("import sys\n\nOLD = sys.version_info < (3, 8)\n")
    (tmp_path / "expectations").mkdir()
    (tmp_path / "expectations" / "x.toml").write_text(
        '[[deviation]]\nclaim = "c"\npython = ">=3.0"\nactual = "a"\nreason = "r"\n'
    )
    toml, old = tmp_path / "expectations" / "x.toml", tmp_path / "old.py"
    assert guards.scan(tmp_path) == [
        f"{toml}:deviation #1 (c): >=3.0 is always true on Python 3.9+",
        f"{old}:3: sys.version_info < (3, 8) is always false on Python 3.9+",
    ]
    assert main(["guards", str(tmp_path)]) == 1


def test_the_project_has_no_stale_guards(capsys):
    assert main(["guards", str(ROOT)]) == 0, capsys.readouterr().out


def test_the_supported_range_starts_at_requires_python():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'requires-python = ">={guards.SUPPORTED[0]}"' in text


def test_tox_and_ci_run_every_supported_cpython_and_no_other():
    # The supported versions are stated once (guards.SUPPORTED); tox.ini's env list
    # and .ci/run's required envs must name the same ones.
    wanted = {"py3" + v.split(".")[1] for v in guards.SUPPORTED}
    tox = (ROOT / "tox.ini").read_text(encoding="utf-8")
    env_list = re.search(r"^env_list = (.*)$", tox, re.M).group(1)
    assert {e for e in re.split(r",\s*", env_list) if re.fullmatch(r"py3\d+", e)} == wanted
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    required = re.findall(r"^(?:REQUIRED|UNSTABLE)_ENVS=\((.*)\)$", ci, re.M)
    assert {e for line in required for e in line.split() if re.fullmatch(r"py3\d+", e)} == wanted


def test_each_python_of_the_unstable_root_has_a_tox_env_that_ci_requires():
    # tools/unstable-root runs, without -e, one env per python its root holds; .ci/run
    # requires the same envs there (py314 and py315 where the machine lacks them,
    # py313-unstable always), tox.ini defines each, and the matrix waits for each.
    tool = (ROOT / "tools" / "unstable-root").read_text(encoding="utf-8")
    pythons = re.search(r"^PYTHONS=\((.*)\)$", tool, re.M).group(1).split()
    root_envs = re.search(r"^ROOT_ENVS=(\S+)$", tool, re.M).group(1).split(",")
    assert set(pythons) <= set(guards.SUPPORTED)
    assert sorted("3." + re.match(r"py3(\d+)", env).group(1) for env in root_envs) == sorted(
        pythons
    )
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    in_root = re.findall(r"^(?:UNSTABLE|ROOT_ONLY)_ENVS=\((.*)\)$", ci, re.M)
    assert sorted(env for line in in_root for env in line.split()) == sorted(root_envs)
    tox = (ROOT / "tox.ini").read_text(encoding="utf-8")
    env_list = re.split(r",\s*", re.search(r"^env_list = (.*)$", tox, re.M).group(1))
    depends = re.search(r"^\[testenv:matrix\]\n(?:.*\n)*?depends = (.*)$", tox, re.M).group(1)
    for env in root_envs:
        assert env in env_list or f"\n[testenv:{env}]\n" in tox, env
        assert re.fullmatch(r"py3\d+", env) or env in re.split(r",\s*", depends), env


def test_py313_unstable_runs_only_where_the_root_s_stamp_is():
    # Its commands_pre looks for the file that a build of the root writes at its top.
    tool = (ROOT / "tools" / "unstable-root").read_text(encoding="utf-8")
    stamp = re.search(r"^STAMP=(\S+)$", tool, re.M).group(1)
    tox = (ROOT / "tox.ini").read_text(encoding="utf-8")
    section = re.search(r"^\[testenv:py313-unstable\]\n((?:.+\n)+)", tox, re.M).group(1)
    assert f"os.path.exists('/{stamp}') or sys.exit(" in section
    assert re.search(r"^base_python = python3\.13$", section, re.M)
