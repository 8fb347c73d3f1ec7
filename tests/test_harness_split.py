"""Unit tests do not import the end-to-end harness: conftest.py loads it only for its fixtures."""

import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_conftest_imports_neither_the_harness_nor_aiohttp():
    probe = ("import sys; sys.path.insert(0, sys.argv[1]); import conftest; "
             "print(sorted(m for m in ('harness', 'fake_telegram', 'aiohttp', 'telegram') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe, str(TESTS)], capture_output=True, text=True, check=True,
                         cwd=TESTS.parent)
    assert out.stdout.strip() == "[]"


def test_old_imports_from_conftest_still_reach_the_harness():
    probe = ("import sys; sys.path.insert(0, sys.argv[1]); from conftest import SECRET, start_bot; "
             "import harness; print(start_bot is harness.start_bot, SECRET == harness.SECRET)")
    out = subprocess.run([sys.executable, "-c", probe, str(TESTS)], capture_output=True, text=True, check=True,
                         cwd=TESTS.parent)
    assert out.stdout.split() == ["True", "True"]
