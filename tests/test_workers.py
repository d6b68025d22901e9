"""The README's bare `pytest` runs on every core: the plugin adds `-n WORKERS` (ini
`mpspec_workers`) where pytest-xdist is installed and the command line does not choose."""

import os

import pytest

from mpspec.plugin.workers import chooses_workers


@pytest.mark.parametrize(
    "args",
    [
        ["-n", "0"],
        ["-n0"],
        ["--numprocesses=3"],
        ["--dist", "loadfile"],
        ["-d"],
        ["--tx", "popen"],
        ["--pdb"],
        ["--trace"],
        ["-s"],
        ["-xs", "spec"],
        ["--capture=no"],
        ["-ra", "-vs"],
    ],
)
def test_a_command_line_that_chooses_is_left_alone(args):
    assert chooses_workers(args)


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["spec", "-x"],
        ["-ra", "--strict-markers"],
        ["-k", "not slow"],
        ["-ksnd"],  # the value of -k, not -s, -n or -d
        ["-m", "hang"],
        ["-p", "no:cacheprovider"],
        ["--durations", "5"],
        ["--", "-s"],  # after --, a test path
    ],
)
def test_a_command_line_that_does_not_choose_gets_the_workers(args):
    assert not chooses_workers(args)


PASSING = "def test_one():\n    pass\n"


@pytest.fixture
def project(pytester, monkeypatch):
    """A project of one passing test, run as its own pytest: not as a worker of this
    run's, which the inherited environment (PYTEST_XDIST_WORKER) would say it is."""
    for name in list(os.environ):
        if name.startswith(("PYTEST_", "MPSPEC_")):
            monkeypatch.delenv(name)
    return pytester


def run(pytester, ini, *args):
    if ini is not None:
        pytester.makeini(f"[pytest]\nmpspec_workers = {ini}\n")
    pytester.makepyfile(PASSING)
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args, timeout=60)


def test_the_ini_value_becomes_the_number_of_workers(project):
    result = run(project, "2")
    result.stdout.fnmatch_lines(["created: 2/2 workers", "*1 passed*"])


def test_a_serial_choice_on_the_command_line_wins(project):
    result = run(project, "2", "-n", "0")
    result.stdout.no_fnmatch_line("created: *workers")
    result.stdout.fnmatch_lines(["*1 passed*"])


def test_without_xdist_the_run_is_serial_not_an_error(project):
    result = run(project, "2", "-p", "no:xdist")
    assert result.ret == 0, result.stderr.str()
    result.stdout.fnmatch_lines(["*1 passed*"])


def test_without_the_ini_value_the_plugin_changes_nothing(project):
    result = run(project, None)
    result.stdout.no_fnmatch_line("created: *workers")
    result.stdout.fnmatch_lines(["*1 passed*"])


def test_this_project_asks_for_a_worker_per_core(pytestconfig):
    assert pytestconfig.getini("mpspec_workers") == "auto"
