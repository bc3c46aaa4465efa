#!/usr/bin/env python3
"""Run every Sysengage test and print one closing line ``N passed, N failed, N skipped``.

1. pytest: the plain-Python modules (``tests/unit``), the static checks of the addons and lint.
2. The Odoo suites: a fresh database, every ``sysengage_*`` addon installed with ``--test-enable``
   (at_install and post_install tests, browser tours included), Odoo's log read back.
3. Each addon alone on a fresh database with demo data, then uninstalled: one check each.

It fails on any failure, error or skipped Odoo test (a skipped tour is not a pass), and stops with a
clear message when no Odoo 19 can be found (set ``ODOO_BIN`` to point at one).

Options: ``--pytest-only``, ``--odoo-only``, ``--addons a,b`` (restrict the Odoo suites),
``--no-alone`` (skip step 3), ``--keep-db``, ``--clock 'YYYY-MM-DD HH:MM:SS'`` (the Odoo suites with
Odoo's clock moved to that UTC moment, through ``tests/odoo_clock.py``).
"""

import argparse
import ast
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
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


def split_odoo(odoo):
    """``(python, script or module, extra arguments)`` of the command list that starts Odoo."""
    if len(odoo) >= 3 and odoo[1] == "-m":
        return odoo[0], odoo[2], odoo[3:]
    if len(odoo) >= 2 and "python" in Path(odoo[0]).name:
        return odoo[0], odoo[1], odoo[2:]
    script, rest = odoo[0], odoo[1:]
    first = Path(script).read_text(encoding="utf-8", errors="replace").splitlines()[0]
    words = first[2:].split() if first.startswith("#!") else [sys.executable]
    python = words[1] if words[0].endswith("/env") and len(words) > 1 else words[0]
    if not Path(python).is_absolute():
        python = shutil.which(python) or python
    return python, script, rest


def with_clock(odoo, moment):
    """``odoo`` (a command list) started through ``tests/odoo_clock.py`` with its clock at ``moment``."""
    if not moment:
        return odoo
    python, script, rest = split_odoo(odoo)
    return [python, str(ROOT / "tests" / "odoo_clock.py"), moment, script, *rest]


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


def test_run_args(install, tags):
    """The arguments of one Odoo run installing ``install`` and running the tests tagged ``tags``."""
    return [
        "-i",
        install,
        "--test-enable",
        "--test-tags",
        tags,
        "--stop-after-init",
        "--log-level",
        "test",
        "--http-port",
        str(free_port()),
        "--workers",
        "0",
        "--max-cron-threads",
        "0",
    ]


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


def tally_suite_log(text, rc, tally, what="the Odoo suites"):
    """Count the tests of an Odoo ``--test-enable`` log into ``tally``; errors and skips fail."""
    match = TEST_RESULT_RE.findall(text)
    skips = SKIP_RE.findall(text)
    errors = bad_lines(text)
    if not match:
        for line in errors[:40]:
            print("   " + line)
        print("   " + "\n   ".join(text.splitlines()[-30:]))
        tally.add(failed=1, problem=f"{what} did not complete (exit {rc})")
        return
    failures, errs, ran = (int(x) for x in match[-1])
    if ran == 0:
        tally.add(failed=1, problem=f"{what} ran no test")
    bad = failures + errs
    passed = max(ran - bad - len(skips), 0)
    tally.add(passed, bad, len(skips))
    if bad or errors:
        for line in errors[:60]:
            print("   " + line)
    if bad:
        tally.problems.append(f"{bad} test(s) of {what} failed")
    elif errors:
        # an ERROR logged outside a test (e.g. while loading data) fails the run too
        tally.add(failed=1, problem=f"errors were logged by Odoo in {what}")
    for skip in skips:
        print(f"   SKIPPED {skip}")
    if skips:
        tally.problems.append(f"{len(skips)} test(s) of {what} skipped (a skipped tour is not a pass)")
    print(f"   Odoo: {ran} tests, {failures} failed, {errs} errors, {len(skips)} skipped")


def run_odoo_suites(odoo, addons, tally, keep_db):
    db = f"sysengage_test_{os.getpid()}"
    print(f"== Odoo suites of {', '.join(addons)} on a fresh database {db}", flush=True)
    drop_db(odoo, db)
    tags = ",".join(f"/{name}" for name in addons)
    cmd = odoo_base_args(odoo, db) + test_run_args(",".join(addons), tags)
    started = time.time()
    rc, text = run_logged(cmd, LOG_DIR / "odoo-suites.log", timeout=60 * 60)
    print(f"   (Odoo ran {time.time() - started:.0f} s, log in {LOG_DIR / 'odoo-suites.log'})")
    tally_suite_log(text, rc, tally)
    if not keep_db:
        drop_db(odoo, db)


def kept_records(text):
    """The ``bad query: DELETE ...`` lines of an uninstall whose failure is a foreign key still referencing
    the record: Odoo's uninstall tries to delete each record the module created and keeps, by design,
    those that other data still uses (e.g. demo products on posted invoices, the demo company with its
    books); PostgreSQL's refusal is logged as an error by the cursor all the same."""
    lines = text.splitlines()
    kept = []
    for index, line in enumerate(lines):
        if BAD_LOG_RE.match(line) and "odoo.sql_db: bad query: b'DELETE FROM" in line:
            following = " ".join(lines[index + 1 : index + 3])
            if "violates foreign key constraint" in following:
                kept.append(line)
    return kept


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
        kept = kept_records(text)
        errors = [line for line in bad_lines(text) if line not in kept]
        ok = rc == 0 and not errors
        print(f"   uninstall {what}: {'ok' if ok else f'FAILED (exit {rc})'}", flush=True)
        if kept:
            example = kept[0].split("bad query: ")[-1][:70]
            print(f"      kept as still referenced, as Odoo's uninstall does: {len(kept)} record(s), e.g. {example}")
        for line in errors[:20]:
            print("      " + line)
        tally.add(passed=int(ok), failed=int(not ok), problem=None if ok else f"{what} does not uninstall cleanly")
    drop_db(odoo, db)


def addon_closure(addon):
    """``addon`` and the Sysengage addons it depends on, directly or not."""
    seen, todo = [], [addon]
    while todo:
        name = todo.pop()
        if name in seen or not (ADDONS_DIR / name / "__manifest__.py").is_file():
            continue
        seen.append(name)
        manifest = ast.literal_eval((ADDONS_DIR / name / "__manifest__.py").read_text(encoding="utf-8"))
        todo.extend(dep for dep in manifest.get("depends", []) if dep.startswith("sysengage_"))
    return seen


def run_wheels(odoo, addon, tally):
    """Build every addon as a wheel (``odoo-addon-sysengage-*``, whool), install ``addon`` and its Sysengage
    dependencies from those wheels into a fresh virtual environment, start Odoo from that environment
    (no addons path of this repository) and run the addon's tests: what a partner installing one addon gets."""
    print(f"== wheels: build every addon, install {addon} from its wheels in a new virtual environment", flush=True)
    python, script, rest = split_odoo(odoo)
    work = Path(tempfile.mkdtemp(prefix="sysengage_wheels_"))
    wheels, venv = work / "wheels", work / "venv"
    wheels.mkdir()
    try:
        for name in sysengage_addons():
            proc = subprocess.run(
                [python, "-c", "import sys, whool.buildapi as api; api.build_wheel(sys.argv[1])", str(wheels)],
                cwd=ADDONS_DIR / name,
                capture_output=True,
                text=True,
                check=False,
            )
            if proc.returncode:
                print(proc.stdout[-2000:] + proc.stderr[-3000:])
                tally.add(failed=1, problem=f"the wheel of {name} does not build")
                return
        built = sorted(path.name for path in wheels.glob("*.whl"))
        print(f"   built {len(built)} wheels")
        if len(built) != len(sysengage_addons()):
            tally.add(failed=1, problem=f"{len(built)} wheels built for {len(sysengage_addons())} addons")
            return
        tally.add(passed=1)
        subprocess.run([python, "-m", "venv", "--without-pip", str(venv)], check=True)
        venv_python = str(venv / "bin" / "python")
        paths = subprocess.run(
            [venv_python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        odoo_site = subprocess.run(
            [python, "-c", "import site; print(repr(site.getsitepackages()))"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        # the new environment sees Odoo and its libraries, as a venv made with --system-site-packages would
        Path(paths, "zz_odoo_interpreter.pth").write_text(
            f"import site; list(map(site.addsitedir, {odoo_site}))\n", encoding="utf-8"
        )
        wanted = addon_closure(addon)
        files = [
            str(path) for path in wheels.glob("*.whl") if path.name.split("-")[0].removeprefix("odoo_addon_") in wanted
        ]
        proc = subprocess.run(
            [python, "-m", "pip", "--python", venv_python, "install", "-q", "--no-deps", "--no-index", *files],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode:
            print(proc.stdout[-2000:] + proc.stderr[-3000:])
            tally.add(failed=1, problem="the wheels do not install")
            return
        installed = sorted(path.name for path in Path(paths, "odoo", "addons").iterdir())
        print(f"   installed in {paths}/odoo/addons: {', '.join(installed)}")
        db = f"sysengage_wheel_{os.getpid()}"
        drop_db(odoo, db)
        cmd = [
            venv_python,
            script,
            *rest,
            "-d",
            db,
            "--db-filter",
            f"^{db}$",
            *test_run_args(addon, f"/{addon}"),
        ]
        started = time.time()
        LOG_DIR.mkdir(exist_ok=True)
        log_path = LOG_DIR / "wheels.log"
        with open(log_path, "w", encoding="utf-8") as log:
            # run outside the repository, without its odoo.conf: the addons come from site-packages only
            proc = subprocess.run(cmd, cwd=work, stdout=log, stderr=subprocess.STDOUT, timeout=45 * 60, check=False)
        text = log_path.read_text(encoding="utf-8", errors="replace")
        print(f"   (Odoo ran {time.time() - started:.0f} s from the wheels, log in {log_path})")
        where = subprocess.run(
            # where Python finds the addon in that environment (found, not imported: no server here)
            [venv_python, "-c", f"import importlib.util as u; print(u.find_spec('odoo.addons.{addon}').origin)"],
            cwd=work,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        addons_paths = next((line for line in text.splitlines() if "addons paths:" in line), "")
        if not where.startswith(paths) or str(ADDONS_DIR) in addons_paths or paths not in addons_paths:
            tally.add(failed=1, problem=f"{addon} was not loaded from the wheel's site-packages ({where})")
        else:
            print(f"   {addon} loaded from {where}")
        tally_suite_log(text, proc.returncode, tally, what=f"{addon} installed from its wheel")
        drop_db(odoo, db)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pytest-only", action="store_true")
    parser.add_argument("--odoo-only", action="store_true")
    parser.add_argument("--addons", help="comma-separated addons for the Odoo suites (default: all)")
    parser.add_argument("--no-alone", action="store_true", help="skip installing each addon alone")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--no-wheels", action="store_true", help="skip building the wheels and installing one")
    parser.add_argument("--wheel-addon", default="sysengage_einvoice", help="the addon installed from its wheel")
    parser.add_argument(
        "--clock",
        metavar="'YYYY-MM-DD HH:MM:SS'",
        help="run the Odoo suites with Odoo's clock moved to this UTC moment (e.g. '2027-12-31 23:30:00')",
    )
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
            if args.clock:
                print(f"== Odoo's clock moved to {args.clock} UTC (PostgreSQL and the browser keep the real one)")
            run_odoo_suites(with_clock(odoo, args.clock), addons, tally, args.keep_db)
            if not args.no_wheels and not args.addons:
                run_wheels(odoo, args.wheel_addon, tally)
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
