"""Minimal stand-in for the `expecttest` package, which Debian does not ship but PyTorch's
internal test utilities import. Only what torch.testing._internal touches at import time."""
import unittest

ACCEPT = False  # never rewrite expected strings in place


class TestCase(unittest.TestCase):
    def assertExpectedInline(self, actual, expect, skip=0):  # noqa: N802 (unittest naming)
        self.assertEqual(str(actual).strip(), str(expect).strip())

    def assertExpectedRaisesInline(self, exc_type, callable, expect, *args, **kwargs):  # noqa: N802
        with self.assertRaises(exc_type) as ctx:
            callable(*args, **kwargs)
        self.assertEqual(str(ctx.exception).strip(), str(expect).strip())
