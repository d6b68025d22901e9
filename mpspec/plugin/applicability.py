"""Where a claim cannot apply, as the catalogue says: each claim's ``not_applicable``
entries (start methods, test functions, platforms; see :mod:`mpspec.catalogue`).

A claim test that one of them covers here is skipped at collection, with the entry's
reason: "n/a: <reason>". The claims table counts it as n/a, never as verified, and the
book lists the same entries without a run. What only a run can know (how many CPUs
this process may use, say) stays a ``pytest.skip`` in the test itself.
"""

import sys

import pytest

from mpspec.plugin.session import KEY


def pytest_collection_modifyitems(config, items):
    claims = config.stash[KEY].claims
    for item in items:
        marker = item.get_closest_marker("claim")
        params = getattr(item, "callspec", None)
        if marker is None or params is None or "start_method" not in params.params:
            continue
        claim = claims.get(marker.args[0])
        entry = claim and claim.not_applicable_to(
            item.function.__name__, params.params["start_method"], sys.platform
        )
        if entry:
            item.add_marker(pytest.mark.skip(reason=f"n/a: {entry.reason}"))
