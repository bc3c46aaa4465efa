"""The pre-commit hooks (.pre-commit-config.yaml) pass on the whole tree, and the README generator works."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import gen_addon_readme  # noqa: E402


def test_precommit_hooks_pass_on_every_file():
    if not (ROOT / ".git").exists():
        pytest.fail("pre-commit runs on a git checkout; this tree has no .git")
    if not shutil.which("node") or not shutil.which("npm"):
        pytest.fail("node and npm are needed for the prettier hook (Debian: nodejs npm)")
    env = dict(os.environ)
    # the hooks run `python -m ...`: the interpreter of these tests, where requirements-dev.txt installed the tools
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    # npm fetches prettier once (pre-commit's node environment, where npm's global settings are not
    # read): it trusts the machine's certificate store, as pip and git do, not only Node's built-in list
    system_cas = Path("/etc/ssl/certs/ca-certificates.crt")
    if system_cas.is_file():
        env.setdefault("NODE_EXTRA_CA_CERTS", str(system_cas))
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--show-diff-on-failure", "--color", "never"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-12000:] + proc.stderr[-3000:]


def test_readme_generator_converts_lists_headings_and_code():
    rst = gen_addon_readme.md_to_rst(
        "## Setup\nIntro:\n1. First `code`, see [docs](https://example.com)\n   - nested\n   Back in first.\n"
        "2. Second\n\n```xml\n<a/>\n```\n"
    )
    assert rst.splitlines()[:2] == ["Setup", "-----"]
    assert "Intro:\n\n1. First ``code``, see `docs <https://example.com>`__\n\n   - nested\n\n   Back in first." in rst
    assert ".. code-block:: xml\n\n   <a/>" in rst
    assert gen_addon_readme.check_rst(rst, "x.rst") is None


def test_readme_generator_refuses_broken_markup():
    assert gen_addon_readme.check_rst("Title\n===\n\n* a\nb\n", "x.rst")


def test_every_addon_readme_is_current():
    assert gen_addon_readme.main(["--check"]) == 0, "run scripts/gen_addon_readme.py and commit README.rst"
