"""Suite-wide options: slow tests run only with --runslow or EMBER_SLOW=1."""
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "python"))
sys.path.insert(0, os.path.join(ROOT, "tests", "python", "_stubs"))
sys.path.insert(0, os.path.join(ROOT, "tests"))

from ember_summary import SUMMARY_LINES  # noqa: E402


def pytest_addoption(parser):
    parser.addoption("--runslow", action="store_true", default=False, help="also run tests marked slow")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--runslow") or os.environ.get("EMBER_SLOW") == "1":
        return
    skip = pytest.mark.skip(reason="slow test: run with --runslow or EMBER_SLOW=1 (scripts/test.sh --slow)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    for line in SUMMARY_LINES:
        terminalreporter.write_line(line)
