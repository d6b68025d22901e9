"""What one pytest session tests, kept in ``config.stash[KEY]`` by the plugin's hooks."""

from dataclasses import dataclass, field
from pathlib import Path

import pytest

KEY = pytest.StashKey()


@dataclass
class State:
    """What one pytest session tests: the implementation, methods and catalogue."""

    impl_name: str
    module: object
    methods: list
    catalogue_path: Path
    claims: dict
    deviations: list
    # The claim tests this process collected, one per test function (the xdist
    # controller collects none: its workers do), as outcomes.SpecTest records.
    tests: list = field(default_factory=list)
