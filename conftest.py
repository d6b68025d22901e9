"""Root conftest: what the harness tests need (the mpspec plugin itself is installed
as a pytest11 entry point, see pyproject.toml).

Tests marked ``hang`` hang on purpose (tests/test_hang.py): they run only when
``-m`` names them, e.g. ``pytest -m hang tests/test_hang.py``. The marker is the
harness's own, so it is declared here, not by the plugin.
"""

pytest_plugins = ("pytester",)


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "hang: hangs on purpose to prove the timeout and clean-up; runs only with -m hang",
    )


def pytest_addoption(parser):
    parser.addoption(
        "--selfcheck",
        action="store_true",
        help="also run the harness tests that re-run the spec against stand-in "
        "implementations (tests/test_standins.py; about 7 minutes with -n 2 on 2 cores)",
    )


def pytest_collection_modifyitems(config, items):
    if "hang" in (config.option.markexpr or ""):
        return
    hanging = [item for item in items if item.get_closest_marker("hang")]
    if hanging:
        config.hook.pytest_deselected(items=hanging)
        items[:] = [item for item in items if not item.get_closest_marker("hang")]
