"""Suite-wide options: slow tests run only with --runslow or EMBER_SLOW=1."""
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "python"))
sys.path.insert(0, os.path.join(ROOT, "tests", "python", "_stubs"))


def pytest_addoption(parser):
    parser.addoption("--runslow", action="store_true", default=False, help="also run tests marked slow")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--runslow") or os.environ.get("EMBER_SLOW") == "1":
        return
    skip = pytest.mark.skip(reason="slow test: run with --runslow or EMBER_SLOW=1 (scripts/test.sh --slow)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


_SUMMARY_LINES = []


def record_summary(line: str) -> None:
    """Adds a line to the end-of-run summary (e.g. how many OpInfo samples were compared)."""
    _SUMMARY_LINES.append(line)


def pytest_terminal_summary(terminalreporter):
    for line in _SUMMARY_LINES:
        terminalreporter.write_line(line)
