#!/usr/bin/env python3
"""Run every Sysengage test and print one closing line ``N passed, N failed, N skipped``.

1. pytest: the plain-Python modules (``tests/unit``), the static checks of the addons and lint.
2. The Odoo suites: every ``sysengage_*`` addon installed with ``--test-enable`` on a fresh database
   (at_install and post_install tests, browser tours included), Odoo's log read back. The addons' tests
   are split in ``--jobs`` shards run side by side, each on its own database with every addon installed.
3. Every addon built as a wheel, one installed from its wheels in a new virtual environment.
4. Each addon alone with demo data, then uninstalled: one check each. The core apps each one needs are
   installed once in a template database, which each check copies (see ``run_alone_checks``).

It fails on any failure, error or skipped Odoo test (a skipped tour is not a pass), and stops with a
clear message when no Odoo 19 can be found (set ``ODOO_BIN`` to point at one).

Options: ``--pytest-only``, ``--odoo-only``, ``--addons a,b`` (restrict the Odoo suites),
``--no-alone`` (skip step 4), ``--no-wheels`` (skip step 3), ``--jobs N`` (Odoo runs side by side,
default 2), ``--keep-db``, ``--clock 'YYYY-MM-DD HH:MM:SS'`` (the Odoo suites with
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
import threading
import time
from concurrent.futures import ThreadPoolExecutor
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


# Seconds each addon's Odoo tests took in one full run (2-core machine, December 2026). They only balance
# the shards; an addon not listed weighs its test code, at about 400 bytes a second.
SUITE_SECONDS = {
    "sysengage_base": 402,
    "sysengage_contracts": 191,
    "sysengage_contracts_offers": 7,
    "sysengage_crm_light": 183,
    "sysengage_crm_light_contracts": 17,
    "sysengage_crm_light_ged": 15,
    "sysengage_crm_light_microsoft": 9,
    "sysengage_crm_light_sale": 24,
    "sysengage_einvoice": 536,
    "sysengage_einvoice_offers": 61,
    "sysengage_ged": 329,
    "sysengage_ged_contracts": 36,
    "sysengage_ged_hr": 6,
    "sysengage_ged_print": 16,
    "sysengage_ged_sale": 6,
    "sysengage_offers": 208,
    "sysengage_payment": 56,
}


def suite_weight(addon):
    if addon in SUITE_SECONDS:
        return SUITE_SECONDS[addon]
    return sum(path.stat().st_size for path in (ADDONS_DIR / addon / "tests").glob("*.py")) / 400


def split_shards(addons, count):
    """``addons`` in at most ``count`` groups of about the same test time (the heaviest first, each to the
    lightest group)."""
    shards = [[] for _ in range(max(1, min(count, len(addons))))]
    loads = [0.0] * len(shards)
    for addon in sorted(addons, key=lambda name: (-suite_weight(name), name)):
        index = loads.index(min(loads))
        shards[index].append(addon)
        loads[index] += suite_weight(addon)
    return [sorted(shard) for shard in shards]


def run_odoo_suites(odoo, addons, tally, keep_db, jobs=1):
    """Every addon of ``addons`` installed with ``--test-enable`` on a fresh database, once per shard: each
    shard runs the tests of its addons only (``--test-tags``), the shards side by side."""
    shards = split_shards(addons, jobs)
    print(
        f"== Odoo suites of {', '.join(addons)}: all installed with --test-enable on a fresh database, "
        f"the tests in {len(shards)} shard(s) run side by side",
        flush=True,
    )

    def run_shard(index, shard):
        db = f"sysengage_test_{os.getpid()}_{index}"
        drop_db(odoo, db)
        tags = ",".join(f"/{name}" for name in shard)
        cmd = odoo_base_args(odoo, db) + test_run_args(",".join(addons), tags)
        log_path = LOG_DIR / ("odoo-suites.log" if len(shards) == 1 else f"odoo-suites-{index}.log")
        started = time.time()
        rc, text = run_logged(cmd, log_path, timeout=75 * 60)
        return db, shard, log_path, rc, text, time.time() - started

    with ThreadPoolExecutor(len(shards)) as pool:
        results = list(pool.map(run_shard, range(1, len(shards) + 1), shards))
    for db, shard, log_path, rc, text, seconds in results:
        what = "the Odoo suites" if len(shards) == 1 else f"the Odoo suites of {', '.join(shard)}"
        print(f"   {what}: Odoo ran {seconds:.0f} s, log in {log_path}")
        tally_suite_log(text, rc, tally, what=what)
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


def manifest(addon):
    return ast.literal_eval((ADDONS_DIR / addon / "__manifest__.py").read_text(encoding="utf-8"))


def addon_closure(addon):
    """``addon`` and the Sysengage addons it depends on, directly or not."""
    seen, todo = [], [addon]
    while todo:
        name = todo.pop()
        if name in seen or not (ADDONS_DIR / name / "__manifest__.py").is_file():
            continue
        seen.append(name)
        todo.extend(dep for dep in manifest(name).get("depends", []) if dep.startswith("sysengage_"))
    return seen


def core_depends(addons):
    """The core apps (not Sysengage) that ``addons`` and the Sysengage addons they need declare."""
    core = set()
    for addon in addons:
        for name in addon_closure(addon):
            core.update(dep for dep in manifest(name).get("depends", []) if not dep.startswith("sysengage_"))
    return frozenset(core)


def duplicate_db(odoo, source, target, lock):
    """``target`` as a copy of ``source``, filestore included (``odoo db duplicate``); one copy at a time,
    since PostgreSQL copies a database only while no one else is connected to it."""
    with lock:
        drop_db(odoo, target)
        proc = subprocess.run(
            odoo + ["db", "-c", str(ROOT / "odoo.conf"), "duplicate", source, target],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
    return proc.returncode == 0, (proc.stdout + proc.stderr)[-2000:]


class Outcome:
    """What one check printed and counted, shown together once it is done (checks run side by side)."""

    def __init__(self):
        self.lines = []
        self.tally = Tally()

    def merge_into(self, tally):
        for line in self.lines:
            print(line)
        tally.add(self.tally.passed, self.tally.failed, self.tally.skipped)
        tally.problems.extend(self.tally.problems)


def build_template(odoo, db, core, parent, lock):
    """A database with the core apps ``core`` installed with demo data, copied from the ``parent`` template
    (a smaller set of core apps, or None: a new database). Returns ``(ok, reason)``."""
    if parent:
        parent_db, parent_future = parent
        ok, _reason = parent_future.result()
        if not ok:
            return False, f"built on {parent_db}, which failed"
        ok, output = duplicate_db(odoo, parent_db, db, lock)
        if not ok:
            return False, f"cannot copy {parent_db}: {output}"
    else:
        drop_db(odoo, db)
    rc, text = run_logged(
        odoo_base_args(odoo, db)
        + ["-i", ",".join(sorted(core)), "--with-demo", "--stop-after-init", "--no-http", "--log-level", "warn"],
        LOG_DIR / f"template-{db}.log",
        timeout=30 * 60,
    )
    errors = bad_lines(text)
    if rc or errors:
        return False, f"the core apps {', '.join(sorted(core))} do not install with demo (exit {rc}): " + (
            errors[0] if errors else text[-500:]
        )
    return True, ""


def run_alone(odoo, addons, template, lock):
    """Install ``addons`` (a list) with demo data on a copy of ``template`` (the database holding the core
    apps they depend on), then uninstall them. Returns an ``Outcome``."""
    outcome = Outcome()
    label = addons[0] if len(addons) == 1 else "all"
    addon = ",".join(addons)
    what = f"{addon} alone" if len(addons) == 1 else "all addons together"
    template_db, template_future = template
    ok, reason = template_future.result()
    if not ok:
        outcome.lines.append(f"   install {what} with demo: FAILED ({reason})")
        outcome.tally.add(failed=1, problem=f"{what} does not install: {reason}")
        return outcome
    db = f"sysengage_alone_{label}_{os.getpid()}"
    ok, output = duplicate_db(odoo, template_db, db, lock)
    if not ok:
        outcome.lines.append(f"   install {what} with demo: FAILED (cannot copy {template_db}: {output})")
        outcome.tally.add(failed=1, problem=f"{what} does not install")
        return outcome
    rc, text = run_logged(
        odoo_base_args(odoo, db)
        + ["-i", addon, "--with-demo", "--stop-after-init", "--no-http", "--log-level", "warn"],
        LOG_DIR / f"alone-{label}.log",
        timeout=30 * 60,
    )
    errors = bad_lines(text)
    ok = rc == 0 and not errors
    outcome.lines.append(f"   install {what} with demo: {'ok' if ok else f'FAILED (exit {rc})'}")
    outcome.lines.extend("      " + line for line in errors[:20])
    outcome.tally.add(passed=int(ok), failed=int(not ok), problem=None if ok else f"{what} does not install")
    if ok:
        rc, text = run_logged(
            odoo + ["module", "uninstall", "-c", str(ROOT / "odoo.conf"), "-d", db, *addons],
            LOG_DIR / f"uninstall-{label}.log",
            timeout=15 * 60,
        )
        kept = kept_records(text)
        errors = [line for line in bad_lines(text) if line not in kept]
        ok = rc == 0 and not errors
        outcome.lines.append(f"   uninstall {what}: {'ok' if ok else f'FAILED (exit {rc})'}")
        if kept:
            example = kept[0].split("bad query: ")[-1][:70]
            outcome.lines.append(
                f"      kept as still referenced, as Odoo's uninstall does: {len(kept)} record(s), e.g. {example}"
            )
        outcome.lines.extend("      " + line for line in errors[:20])
        outcome.tally.add(
            passed=int(ok), failed=int(not ok), problem=None if ok else f"{what} does not uninstall cleanly"
        )
    drop_db(odoo, db)
    return outcome


def run_alone_checks(odoo, addons, tally, jobs=1, keep_db=False):
    """Each addon alone, then all together, installed with demo data, then uninstalled.

    Installing an addon alone is mostly installing the core apps it depends on (account, sale, crm…). Each
    set of core apps is installed once, with demo data, in a template database copied from the template of
    the largest set it contains; each check copies its template and installs only the Sysengage addon on
    it, as a partner adds an addon to a running database. That database holds what a new database with the
    addon alone holds: its declared dependencies and their auto-installed bridges, nothing else. Templates
    and checks run ``jobs`` at a time, each after the template it copies."""
    print(
        "== each addon alone, then all together, with demo data on copies of databases holding only the core "
        "apps they declare; then uninstalled",
        flush=True,
    )
    started = time.time()
    checks = [[addon] for addon in addons] + ([list(addons)] if len(addons) > 1 else [])
    core_sets = sorted({core_depends(check) for check in checks}, key=lambda core: (len(core), sorted(core)))
    lock = threading.Lock()
    templates = {}
    with ThreadPoolExecutor(max(1, jobs)) as pool:
        # a template is submitted after the smaller ones it may copy, a check after every template: the pool
        # takes them in that order, so what a task waits for has always started
        for index, core in enumerate(core_sets, 1):
            parent = max((known for known in templates if known < core), key=len, default=None)
            db = f"sysengage_tmpl_{index}_{os.getpid()}"
            future = pool.submit(build_template, odoo, db, core, templates.get(parent), lock)
            templates[core] = (db, future)
        futures = [pool.submit(run_alone, odoo, check, templates[core_depends(check)], lock) for check in checks]
        for future in futures:
            future.result().merge_into(tally)
            sys.stdout.flush()
    if not keep_db:
        for db, _future in templates.values():
            drop_db(odoo, db)
    print(f"   ({len(checks)} checks on {len(core_sets)} template databases in {time.time() - started:.0f} s)")


# The e-invoicing tests run from the wheel: they read what a wheel may leave out (QWeb report templates and
# their styles, the XML schemas, the fr/de translations, the JavaScript of a tour).
WHEEL_TESTS = ",".join(
    f"/sysengage_einvoice:{name}"
    for name in ("TestInvoiceReport", "TestChannelEbill", "TestReminderLanguages", "TestDispatchTour")
)


def run_wheels(odoo, addon, tags, tally):
    """Build every addon as a wheel (``odoo-addon-sysengage-*``, whool), install ``addon`` and its Sysengage
    dependencies from those wheels into a fresh virtual environment, start Odoo from that environment
    (no addons path of this repository) and run the tests ``tags`` of the addon: what a partner installing one
    addon gets."""
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
            *test_run_args(addon, tags),
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
        "--wheel-tests",
        help="the tests run from the wheel (Odoo --test-tags; default for sysengage_einvoice: the classes that "
        "read the data files a wheel must ship: report templates, XML schemas, translations, web assets; "
        "for another addon: all its tests)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=2,
        help="Odoo runs side by side: shards of the Odoo suites, alone checks (default 2, one per core here)",
    )
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
            run_odoo_suites(with_clock(odoo, args.clock), addons, tally, args.keep_db, jobs=args.jobs)
            if not args.no_wheels and not args.addons:
                tags = args.wheel_tests or (
                    WHEEL_TESTS if args.wheel_addon == "sysengage_einvoice" else f"/{args.wheel_addon}"
                )
                run_wheels(odoo, args.wheel_addon, tags, tally)
            if not args.no_alone:
                run_alone_checks(odoo, addons, tally, jobs=args.jobs, keep_db=args.keep_db)
    for problem in tally.problems:
        print(f"FAILED: {problem}")
    print(f"{tally.passed} passed, {tally.failed} failed, {tally.skipped} skipped")
    return 1 if (tally.failed or tally.problems) else 0


if __name__ == "__main__":
    sys.exit(main())
