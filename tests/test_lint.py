"""Lint: ruff and the mandatory pylint-odoo checks must be clean."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_clean():
    # through this interpreter, where requirements-dev.txt installed it (its bin/ need not be on PATH)
    cmd = [sys.executable, "-m", "ruff", "check", "addons", "tests", "bench"]
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
