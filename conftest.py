"""Load the mpspec pytest plugin for this repository's spec/ and tests/."""

pytest_plugins = ("mpspec.plugin",)
