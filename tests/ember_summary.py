"""End-of-run summary lines (e.g. how many OpInfo samples were compared).

A module with a unique name so test files in any directory can import it; tests/conftest.py
prints the lines in pytest's terminal summary."""

SUMMARY_LINES = []


def record_summary(line: str) -> None:
    """Adds a line to the end-of-run summary."""
    SUMMARY_LINES.append(line)
