"""Outcomes of claim tests, folded into the claims table and the claims JSON."""

import json
import platform
import sys

from mpspec.runtime.impl import START_METHODS

OUTCOMES = ("passed", "failed", "skipped", "error", "deviates")
DEVIATES = "deviates (expected)"


def record(
    claim,
    start_method,
    nodeid,
    outcome,
    verdict,
    reason=None,
    failure=None,
    timing=None,
    observed=None,
):
    """One claim test's result. ``failure``: for a failed or erroring test, the name of the
    exception that failed it (``AssertionError`` when the behaviour was refuted).
    ``timing``: for a test whose verdict rests on a timing threshold, its margin.
    ``observed``: what the configuration did, where the test recorded it."""
    rec = {
        "claim": claim,
        "start_method": start_method,
        "test": nodeid,
        "outcome": outcome,
        "verdict": verdict,
    }
    if reason:
        rec["reason"] = reason
    if failure:
        rec["failure"] = failure
    if timing:
        rec["timing"] = timing
    if observed:
        rec["observed"] = observed
    return rec


def spec_test(claim, name, doc, path, line):
    """One test function of the spec, as collected: the claim it names, its name, its
    docstring, and where it is (``path`` relative to the rootdir, with forward
    slashes; ``line``: its first decorator's, else its ``def``'s)."""
    return {"claim": claim, "name": name, "doc": doc, "path": path, "line": line}


def cell(outcomes):
    """One table cell from the outcomes of a claim's tests under one start method."""
    if not outcomes:
        return "-"
    if "failed" in outcomes:
        return "FAILED"
    if "error" in outcomes:
        return "ERROR"
    if "deviates" in outcomes:
        return DEVIATES
    skipped = outcomes.count("skipped")
    if skipped == len(outcomes):
        return "n/a"
    if skipped:
        return f"verified, {skipped} n/a"
    return "verified"


def cells(records, claims):
    """``{claim: {method: cell}}`` for every catalogue claim, in catalogue order."""
    grouped = {cid: {m: [] for m in START_METHODS} for cid in claims}
    for rec in records:
        grouped.setdefault(rec["claim"], {m: [] for m in START_METHODS})
        grouped[rec["claim"]].setdefault(rec["start_method"], []).append(rec["outcome"])
    return {
        cid: {m: cell(outs) for m, outs in by_method.items()} for cid, by_method in grouped.items()
    }


def table(records, claims, title):
    """The claims table as lines of text."""
    rows = [("claim", "verdict", *START_METHODS)]
    for cid, by_method in cells(records, claims).items():
        verdict = claims[cid].verdict if cid in claims else "?"
        rows.append((cid, verdict, *(by_method.get(m, "-") for m in START_METHODS)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [title]
    for n, row in enumerate(rows):
        lines.append("  ".join(text.ljust(w) for text, w in zip(row, widths)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def not_applicable(records, outcome="skipped"):
    """Lines naming what this run could not verify, and why, grouped by claim and reason.

    With ``outcome="deviates"``: the expected deviations, and what happens instead.
    """
    grouped = {}
    for rec in records:
        if rec["outcome"] == outcome:
            key = (rec["claim"], rec.get("reason") or "no reason given")
            grouped.setdefault(key, [])
            if rec["start_method"] not in grouped[key]:
                grouped[key].append(rec["start_method"])
    return [
        f"{claim} [{', '.join(methods)}]: {reason}" for (claim, reason), methods in grouped.items()
    ]


def environment(impl_name):
    module = sys.modules.get(impl_name)
    return {
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "implementation": impl_name,
        "implementation_version": getattr(module, "__version__", None),
        "platform": platform.platform(),
        "sys_platform": sys.platform,
    }


def to_json(records, claims, impl_name, tests=()):
    """The claims JSON: the environment, each claim's cells, every test's record and,
    where this process collected them, the spec's test functions (``tests``)."""
    data = environment(impl_name)
    data["claims"] = {
        cid: {"verdict": claims[cid].verdict if cid in claims else None, "cells": by_method}
        for cid, by_method in cells(records, claims).items()
    }
    data["results"] = records
    if tests:
        data["tests"] = list(tests)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
