"""Lint: ruff and the mandatory pylint-odoo checks must be clean."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_clean():
    if not shutil.which("ruff"):
        pytest.fail("ruff is not installed (pip install -r requirements-dev.txt)")
    cmd = ["ruff", "check", "addons", "tests", "bench"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_pylint_odoo_mandatory_clean():
    proc = subprocess.run(
        [sys.executable, "-m", "pylint", "--rcfile", str(ROOT / ".pylintrc-mandatory"), "addons"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-8000:] + proc.stderr[-2000:]
