"""What one pytest session tests, kept in ``config.stash[KEY]`` by the plugin's hooks."""

from dataclasses import dataclass
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
