"""How the plugin is put together: one entry point whose modules pytest registers, each
with its own options, ini keys and markers, all switched off by ``-p no:mpspec``."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Every marker of this project, and who declares it: the plugin, or the harness
# (the root conftest).
PLUGIN_MARKERS = ("claim", "timing", "mpspec_alone")
HARNESS_MARKERS = ("hang",)


def clean_env():
    """This process's environment without what would make a pytest started from it
    an xdist worker of this run, or choose its implementation."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "MPSPEC_"))}


def pytest_output(*args, cwd=ROOT):
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=cwd,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def declared(markers_output):
    """``{name: times listed}`` from ``pytest --markers``."""
    names = re.findall(r"^@pytest\.mark\.(\w+)\b", markers_output, re.M)
    return {name: names.count(name) for name in names}


def test_pytest_markers_lists_each_of_this_projects_markers_exactly_once():
    counts = declared(pytest_output("--markers"))
    assert {m: counts.get(m, 0) for m in PLUGIN_MARKERS + HARNESS_MARKERS} == dict.fromkeys(
        PLUGIN_MARKERS + HARNESS_MARKERS, 1
    )


def test_the_plugin_alone_declares_its_own_markers_and_not_the_harness_s(tmp_path):
    counts = declared(pytest_output("--markers", cwd=tmp_path))
    assert {m: counts.get(m, 0) for m in PLUGIN_MARKERS + HARNESS_MARKERS} == {
        **dict.fromkeys(PLUGIN_MARKERS, 1),
        **dict.fromkeys(HARNESS_MARKERS, 0),
    }


def test_help_lists_the_mpspec_options_and_ini_keys(tmp_path):
    out = pytest_output("--help", cwd=tmp_path)
    group = out.split("\nmpspec: executable specification of multiprocessing:\n")[1]
    group = group.split("\n\n")[0]
    assert re.findall(r"^  (--[\w-]+)", group, re.M) == [
        "--mp-impl",
        "--start-method",
        "--claims-json",
    ]
    assert sorted(re.findall(r"^  (mpspec_\w+) \(", out, re.M)) == [
        "mpspec_catalogue",
        "mpspec_impl",
        "mpspec_start_methods",
        "mpspec_workers",
    ]


LIST_PLUGINS = """
def test_list(pytestconfig):
    names = {
        getattr(plugin, "__name__", type(plugin).__module__)
        for plugin in pytestconfig.pluginmanager.get_plugins()
    }
    print("MPSPEC-PLUGINS", sorted(n for n in names if n.split(".")[0] == "mpspec"))
"""


def registered(pytester, *args):
    """The names of mpspec's registered plugins, from a run that fails at any of pytest's
    own warnings: pytest cannot rewrite the asserts of a module of the list that an earlier
    one imported (mpspec.plugin's docstring)."""
    pytester.makepyfile(LIST_PLUGINS)
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "-W", "error::pytest.PytestWarning", "-s", *args, timeout=60
    )
    assert result.ret == 0, result.stdout.str() + result.stderr.str()
    return result.stdout.str().split("MPSPEC-PLUGINS ")[1].splitlines()[0]


@pytest.fixture
def project(pytester, monkeypatch):
    for name in list(os.environ):
        if name.startswith(("PYTEST_", "MPSPEC_")):
            monkeypatch.delenv(name)
    return pytester


# The entry point's package and the modules it names (mpspec.plugin.pytest_plugins);
# the claims report's Reporter is registered too, an object of mpspec.plugin.reporting.
MODULES = (
    "session",
    "workers",
    "hooks",
    "applicability",
    "fixtures",
    "reporting",
    "leakcheck",
    "bytecode",
)


def test_the_entry_point_registers_each_module_of_the_plugin(project):
    expected = sorted(["mpspec.plugin", *(f"mpspec.plugin.{m}" for m in MODULES)])
    assert registered(project) == repr(expected)


def test_no_mpspec_switches_off_every_module(project):
    assert registered(project, "-p", "no:mpspec") == "[]"
    result = project.runpytest_subprocess("-p", "no:mpspec", "--mp-impl", "x", timeout=60)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*unrecognized arguments: --mp-impl*"])
