"""The claims report: each claim test's outcome, the claims table at the end of the
run, and the claims JSON (``--claims-json PATH``, this module's option)."""

import os
from pathlib import Path

import pytest

from mpspec import outcomes
from mpspec.plugin import session


def pytest_addoption(parser):
    session.option_group(parser).addoption(
        "--claims-json",
        dest="claims_json",
        metavar="PATH",
        help="write every claim test's outcome, with the environment, as JSON to PATH",
    )


@pytest.hookimpl(tryfirst=True)  # before the session state is built from a wrong rootdir
def pytest_configure(config):
    check_rootdir(config)
    config.pluginmanager.register(Reporter(config), "mpspec-reporter")


def check_rootdir(config):
    """Refuse a run whose rootdir pytest chose from ``--claims-json PATH``'s PATH.

    pytest picks the rootdir and ini file before it loads any plugin, so it does
    not know yet that ``--claims-json`` takes a value: it reads an existing PATH
    as a test path. Without test paths on the command line, that PATH then
    decides the rootdir, and the project's ini file, catalogue and conftest are
    not found. ``--claims-json=PATH`` is one word and cannot be misread.
    """
    if config.inipath is not None:
        return  # the rootdir came from an ini file, not from a misread path
    args = [str(a) for a in config.invocation_params.args]
    for flag, value in zip(args, args[1:]):
        path = Path(config.invocation_params.dir, value)
        if flag == "--claims-json" and path.exists() and config.rootpath in path.parents:
            raise pytest.UsageError(
                f"pytest took {value} for a test path while it chose the rootdir "
                f"({config.rootpath}): it reads the command line before it loads the mpspec "
                f"plugin. Write --claims-json={value}, or name the tests to run."
            )


# Each phase's duration of a claim test, by phase name, for its failure report.
_DURATIONS = pytest.StashKey()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Name, in a failed claim test's report, the exception that failed it (an
    AssertionError is the behaviour refuted, anything else is the test's own trouble)
    and say how long each of its phases ran: a test that failed near a bound reads
    differently from one that failed at once."""
    outcome = yield
    report = outcome.get_result()
    if not item.get_closest_marker("claim"):
        return
    durations = item.stash.setdefault(_DURATIONS, {})
    durations[call.when] = report.duration
    if report.failed:
        if call.excinfo is not None:
            report.user_properties.append((f"mpspec_failure_{call.when}", call.excinfo.typename))
        report.sections.append(("mpspec: how long it ran", ran(durations)))


def ran(durations):
    """How long a test's phases ran, from ``{phase: seconds}``: "ran 0.30 s (setup 0.00 s)"."""
    if "call" not in durations:
        return f"setup ran {durations.get('setup', 0.0):.2f} s"
    parts = [f"setup {durations.get('setup', 0.0):.2f} s"]
    if "teardown" in durations:
        parts.append(f"teardown {durations['teardown']:.2f} s")
    return f"ran {durations['call']:.2f} s ({', '.join(parts)})"


def _outcome(report):
    """The outcome a report phase contributes to the claims table, or None."""
    if report.when == "setup" and not report.passed:
        return "error" if report.failed else "skipped"
    if report.when == "call":
        return "deviates" if hasattr(report, "wasxfail") else report.outcome
    if report.when == "teardown" and report.failed:
        return "error"  # e.g. the leak check failed after the test passed
    return None


class Reporter:
    """Collects claim-test outcomes; prints the claims table and writes the JSON."""

    def __init__(self, config):
        self.config = config
        self.records = {}
        self.is_worker = hasattr(config, "workerinput")  # an xdist worker

    @property
    def state(self):
        """What the session tests (:mod:`mpspec.plugin.session` builds it at configure)."""
        return self.config.stash[session.KEY]

    def pytest_runtest_logreport(self, report):
        props = dict(report.user_properties)
        outcome = _outcome(report)
        if "mpspec_claim" not in props or outcome is None:
            return
        reason = None
        if outcome == "skipped" and isinstance(report.longrepr, tuple):
            reason = report.longrepr[2].removeprefix("Skipped: ")
        elif outcome == "deviates":
            reason = props.get("mpspec_deviation")
        previous = self.records.get(report.nodeid)
        if previous is not None and previous.outcome == "failed":
            return  # a failed test stays failed, whatever its teardown adds
        claim = self.state.claims.get(props["mpspec_claim"])
        self.records[report.nodeid] = outcomes.TestRecord(
            claim=props["mpspec_claim"],
            start_method=props["mpspec_start_method"],
            test=report.nodeid,
            outcome=outcome,
            verdict=claim.verdict if claim else None,
            reason=reason,
            failure=props.get(f"mpspec_failure_{report.when}"),
            timing=props.get("mpspec_timing"),
            observed=props.get("mpspec_observed"),
            measured=props.get("mpspec_measured"),
        )

    def pytest_sessionfinish(self, session):
        path = self.config.getoption("claims_json")
        if path and not self.is_worker:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            results = outcomes.collect(
                list(self.records.values()),
                self.state.claims,
                self.state.impl_name,
                self.state.tests,
                root=self.config.rootpath,
            )
            Path(path).write_text(results.to_json(), encoding="utf-8")

    def pytest_terminal_summary(self, terminalreporter):
        if not self.records or self.is_worker:
            return
        env = outcomes.environment(self.state.impl_name)
        terminalreporter.write_sep("=", "mpspec claims")
        title = (
            f"{self.state.impl_name} on {env.python_implementation} {env.python} "
            f"({env.sys_platform}). verdict: what the spec concludes about the tutorial; "
            "verified: this run confirmed the behaviour the spec asserts."
        )
        records = list(self.records.values())
        for line in outcomes.table(records, self.state.claims, title):
            terminalreporter.write_line(line)
        unverified = outcomes.not_applicable(records)
        if unverified:
            terminalreporter.write_line("not verified by this run (n/a), and why:")
            for line in unverified:
                terminalreporter.write_line(f"  {line}")
        deviating = outcomes.deviations(records)
        if deviating:
            declared = os.path.relpath(self.state.expectations_path, self.config.rootpath)
            terminalreporter.write_line(
                f"expected deviations of {self.state.impl_name} (declared in "
                f"{Path(declared).as_posix()}), and what happens:"
            )
            for line in deviating:
                terminalreporter.write_line(f"  {line}")
