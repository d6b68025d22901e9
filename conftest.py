"""Root conftest: load the mpspec plugin, and pytester for the harness tests."""

pytest_plugins = ("mpspec.plugin", "pytester")


def pytest_addoption(parser):
    parser.addoption(
        "--selfcheck",
        action="store_true",
        help="also run the harness tests that re-run the spec against stand-in "
        "implementations (tests/test_standins.py; about a minute)",
    )
