#!/usr/bin/env python3
"""Run every Sysengage test and print one closing line ``N passed, N failed, N skipped``.

1. pytest: the plain-Python modules (``tests/unit``), the static checks of the addons and lint.
2. The Odoo suites: a fresh database, every ``sysengage_*`` addon installed with ``--test-enable``
   (at_install and post_install tests, browser tours included), Odoo's log read back.
3. Each addon alone on a fresh database with demo data, then uninstalled: one check each.

It fails on any failure, error or skipped Odoo test (a skipped tour is not a pass), and stops with a
clear message when no Odoo 19 can be found (set ``ODOO_BIN`` to point at one).

Options: ``--pytest-only``, ``--odoo-only``, ``--addons a,b`` (restrict the Odoo suites),
``--no-alone`` (skip step 3), ``--keep-db``.
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDONS_DIR = ROOT / "addons"
LOG_DIR = ROOT / ".test-logs"

TEST_RESULT_RE = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")
SKIP_RE = re.compile(r" (?:INFO|WARNING) \S+ \S+: skipped (.+)$")
BAD_LOG_RE = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ")
PYTEST_COUNT_RE = re.compile(r"(\d+) (passed|failed|skipped|errors?|xfailed|xpassed)")


class Tally:
    def __init__(self):
        self.passed = self.failed = self.skipped = 0
        self.problems = []

    def add(self, passed=0, failed=0, skipped=0, problem=None):
        self.passed += passed
        self.failed += failed
        self.skipped += skipped
        if problem:
            self.problems.append(problem)


def sysengage_addons():
    return sorted(
        p.name for p in ADDONS_DIR.iterdir() if (p / "__manifest__.py").is_file() and p.name.startswith("sysengage_")
    )


def find_odoo():
    """The command that starts Odoo 19, as a list, or None."""
    candidates = []
    if os.environ.get("ODOO_BIN"):
        candidates.append(os.environ["ODOO_BIN"].split())
    for name in ("odoo", "odoo-bin"):
        path = shutil.which(name)
        if path:
            candidates.append([path])
    candidates.append([sys.executable, "-m", "odoo"])
    for cmd in candidates:
        try:
            out = subprocess.run(cmd + ["--version"], capture_output=True, text=True, timeout=120, check=False)
        except (OSError, subprocess.TimeoutExpired):
            continue
        match = re.search(r"Odoo Server (\d+)\.", out.stdout + out.stderr)
        if match and match.group(1) == "19":
            return cmd
    return None


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_pytest(tally):
    print("== pytest: plain-Python modules, static checks, lint", flush=True)
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rfEs", str(ROOT / "tests")]
    proc = subprocess.run(cmd, cwd=ROOT, text=True, capture_output=True, check=False)
    sys.stdout.write(proc.stdout[-20000:])
    sys.stderr.write(proc.stderr[-5000:])
    summary = [line for line in proc.stdout.splitlines() if PYTEST_COUNT_RE.search(line) and " in " in line]
    counts = {"passed": 0, "failed": 0, "skipped": 0, "error": 0}
    if summary:
        for num, kind in PYTEST_COUNT_RE.findall(summary[-1]):
            key = "error" if kind.startswith("error") else kind
            if key in counts:
                counts[key] += int(num)
    failed = counts["failed"] + counts["error"]
    if proc.returncode not in (0, 5) and not failed:
        failed = 1
    tally.add(counts["passed"], failed, counts["skipped"], "pytest failed" if failed else None)


def odoo_base_args(odoo, db):
    return odoo + ["-c", str(ROOT / "odoo.conf"), "--addons-path", str(ADDONS_DIR), "-d", db, "--db-filter", f"^{db}$"]


def drop_db(odoo, db):
    subprocess.run(odoo + ["db", "-c", str(ROOT / "odoo.conf"), "drop", db], capture_output=True, check=False)
    subprocess.run(["dropdb", "--if-exists", db], capture_output=True, check=False)


def run_logged(cmd, log_path, timeout):
    LOG_DIR.mkdir(exist_ok=True)
    with open(log_path, "w", encoding="utf-8") as log:
        try:
            proc = subprocess.run(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, timeout=timeout, check=False)
            rc = proc.returncode
        except subprocess.TimeoutExpired:
            rc = -9
    return rc, Path(log_path).read_text(encoding="utf-8", errors="replace")


def bad_lines(text):
    return [line for line in text.splitlines() if BAD_LOG_RE.match(line)]


def run_odoo_suites(odoo, addons, tally, keep_db):
    db = f"sysengage_test_{os.getpid()}"
    print(f"== Odoo suites of {', '.join(addons)} on a fresh database {db}", flush=True)
    drop_db(odoo, db)
    tags = ",".join(f"/{name}" for name in addons)
    cmd = odoo_base_args(odoo, db) + [
        "-i", ",".join(addons),
        "--test-enable", "--test-tags", tags,
        "--stop-after-init", "--log-level", "test",
        "--http-port", str(free_port()), "--workers", "0", "--max-cron-threads", "0",
    ]
    started = time.time()
    rc, text = run_logged(cmd, LOG_DIR / "odoo-suites.log", timeout=60 * 60)
    print(f"   (Odoo ran {time.time() - started:.0f} s, log in {LOG_DIR / 'odoo-suites.log'})")
    match = TEST_RESULT_RE.findall(text)
    skips = SKIP_RE.findall(text)
    errors = bad_lines(text)
    if not match:
        for line in errors[:40]:
            print("   " + line)
        print("   " + "\n   ".join(text.splitlines()[-30:]))
        tally.add(failed=1, problem=f"the Odoo suites did not complete (exit {rc})")
    else:
        failures, errs, ran = (int(x) for x in match[-1])
        if ran == 0:
            tally.add(failed=1, problem="the Odoo suites ran no test")
        bad = failures + errs
        passed = max(ran - bad - len(skips), 0)
        tally.add(passed, bad, len(skips))
        if bad or errors:
            for line in errors[:60]:
                print("   " + line)
        if bad:
            tally.problems.append(f"{bad} Odoo test(s) failed")
        elif errors:
            # an ERROR logged outside a test (e.g. while loading data) fails the run too
            tally.add(failed=1, problem="errors were logged by Odoo")
        for skip in skips:
            print(f"   SKIPPED {skip}")
        if skips:
            tally.problems.append(f"{len(skips)} Odoo test(s) skipped (a skipped tour is not a pass)")
        print(f"   Odoo: {ran} tests, {failures} failed, {errs} errors, {len(skips)} skipped")
    if not keep_db:
        drop_db(odoo, db)


def run_alone(odoo, addons, tally):
    """Install ``addons`` (a list) with demo data on a fresh database, then uninstall them."""
    label = addons[0] if len(addons) == 1 else "all"
    addon = ",".join(addons)
    db = f"sysengage_alone_{label}_{os.getpid()}"
    drop_db(odoo, db)
    rc, text = run_logged(
        odoo_base_args(odoo, db)
        + ["-i", addon, "--with-demo", "--stop-after-init", "--no-http", "--log-level", "warn"],
        LOG_DIR / f"alone-{label}.log",
        timeout=30 * 60,
    )
    errors = bad_lines(text)
    ok = rc == 0 and not errors
    what = f"{addon} alone" if len(addons) == 1 else "all addons together"
    print(f"   install {what} with demo: {'ok' if ok else f'FAILED (exit {rc})'}", flush=True)
    for line in errors[:20]:
        print("      " + line)
    tally.add(passed=int(ok), failed=int(not ok), problem=None if ok else f"{what} does not install")
    if ok:
        rc, text = run_logged(
            odoo + ["module", "uninstall", "-c", str(ROOT / "odoo.conf"), "-d", db, *addons],
            LOG_DIR / f"uninstall-{label}.log",
            timeout=15 * 60,
        )
        errors = bad_lines(text)
        ok = rc == 0 and not errors
        print(f"   uninstall {what}: {'ok' if ok else f'FAILED (exit {rc})'}", flush=True)
        for line in errors[:20]:
            print("      " + line)
        tally.add(passed=int(ok), failed=int(not ok), problem=None if ok else f"{what} does not uninstall cleanly")
    drop_db(odoo, db)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pytest-only", action="store_true")
    parser.add_argument("--odoo-only", action="store_true")
    parser.add_argument("--addons", help="comma-separated addons for the Odoo suites (default: all)")
    parser.add_argument("--no-alone", action="store_true", help="skip installing each addon alone")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()

    tally = Tally()
    if not args.odoo_only:
        run_pytest(tally)
    if not args.pytest_only:
        odoo = find_odoo()
        if not odoo:
            print(
                "No Odoo 19 found: the Odoo suites cannot run.\n"
                "Install Odoo 19.0 Community so that an `odoo` (or `odoo-bin`) command is on PATH, or\n"
                "point ODOO_BIN at one, e.g. ODOO_BIN='/path/to/odoo-bin' or ODOO_BIN='python3 /src/odoo/odoo-bin'.",
                file=sys.stderr,
            )
            tally.add(failed=1, problem="no Odoo 19")
        else:
            addons = args.addons.split(",") if args.addons else sysengage_addons()
            run_odoo_suites(odoo, addons, tally, args.keep_db)
            if not args.no_alone:
                print("== each addon alone, then all together, on fresh databases with demo data; then uninstalled")
                for addon in addons:
                    run_alone(odoo, [addon], tally)
                if len(addons) > 1:
                    run_alone(odoo, addons, tally)
    for problem in tally.problems:
        print(f"FAILED: {problem}")
    print(f"{tally.passed} passed, {tally.failed} failed, {tally.skipped} skipped")
    return 1 if (tally.failed or tally.problems) else 0


if __name__ == "__main__":
    sys.exit(main())
