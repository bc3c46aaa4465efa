#!/usr/bin/env python3
"""Benchmark of the address import of sysengage_base: preview and apply of a large file.

Usage (from the repository root, on a database where sysengage_base is installed)::

    python3 bench/sysengage_base_address_import.py sg_p3 [--rows 100000] [--tracemalloc]

1. seeds ``rows / 2`` partners by importing a first file (all rows new: batched creates);
2. builds a file of ``rows`` rows: the seeded half with a changed street (updates matched by UID or
   e-mail) and ``rows / 2`` new addresses; times the wizard preview (read, validate, match, preview
   lines) and the apply (analysis again, creates and updates, event history, log);
3. prints the times, rows per second and the peak memory (``ru_maxrss`` of the process, and with
   ``--tracemalloc`` the Python heap peak of each phase, which slows the run down).

Everything is rolled back at the end: nothing stays in the database.
"""

import argparse
import base64
import resource
import time
import tracemalloc
from pathlib import Path

from stdnum.ch import uid as ch_uid

import odoo
from odoo.fields import Command
from odoo.modules.registry import Registry
from odoo.tools import config

HEADER = "Firma;UID;E-Mail;Strasse;PLZ;Ort;Land"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database")
    parser.add_argument("--rows", type=int, default=100000)
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument("--config", default=str(Path(__file__).resolve().parent.parent / "odoo.conf"))
    return parser.parse_args()


def swiss_uid(index):
    """A valid UID for one index out of three (and when the check digit exists), else ""."""
    digits = f"{20000000 + index:08d}"
    check = ch_uid.calc_check_digit(digits)
    return ch_uid.format("CHE" + digits + check) if index % 3 == 0 and len(check) == 1 else ""


def row(index, street_suffix=""):
    uid = swiss_uid(index)
    return ";".join(
        [
            f"Bench Firma {index} AG",
            uid,
            f"contact{index}@bench-import.ch",
            f"Bahnhofstrasse {index % 200 + 1}{street_suffix}",
            str(1000 + index % 8000),
            "Bern",
            "CH",
        ]
    )


def build_file(indexes, street_suffix=""):
    return ("\r\n".join([HEADER, *(row(index, street_suffix) for index in indexes)]) + "\r\n").encode("utf-8")


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(label, func, use_tracemalloc):
    if use_tracemalloc:
        tracemalloc.start()
    start = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - start
    peak = ""
    if use_tracemalloc:
        _current, heap_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        peak = f", Python heap peak {heap_peak / 1024 / 1024:.0f} MB"
    print(f"{label}: {elapsed:.1f} s (process peak RSS {rss_mb():.0f} MB{peak})", flush=True)
    return result, elapsed


def main():
    args = parse_args()
    config.parse_config(["-c", args.config, "-d", args.database, "--db-filter", f"^{args.database}$"])
    registry = Registry(args.database)
    half = args.rows // 2
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        env = env(user=env.ref("base.user_admin"))
        # the columns of the addon's import tests (a German-Swiss address export)
        from odoo.addons.sysengage_base.tests.test_address_import_common import MAPPING as mapping

        source = env["sysengage.import.source"].create(
            {
                "name": "Bench",
                "strict": False,
                "column_ids": [Command.create({"target_field": t, "column_name": c}) for t, c in mapping.items()],
            }
        )
        print(
            f"Address import benchmark: {args.rows} rows ({half} updates + {args.rows - half} new), "
            f"start RSS {rss_mb():.0f} MB",
            flush=True,
        )

        seed = build_file(range(half))
        (results, headers), _ = timed(f"seed analyse {half} rows", lambda: source._analyse(seed), False)
        timed(f"seed apply {half} new partners", lambda: source._apply(results, headers, "seed.csv"), False)
        env.flush_all()
        env.invalidate_all()

        content = build_file(range(half), " b") + build_file(range(half, args.rows)).split(b"\r\n", 1)[1]
        wizard = env["sysengage.address.import.wizard"].create(
            {"source_id": source.id, "file": base64.b64encode(content), "filename": "bench.csv"}
        )
        wizard.action_read_columns()

        def preview():
            wizard.action_preview()
            env.flush_all()

        _, preview_time = timed(f"preview {args.rows} rows (wizard, preview lines)", preview, args.tracemalloc)
        print(
            f"  preview: new {wizard.count_new}, update {wizard.count_update}, unchanged "
            f"{wizard.count_unchanged}, ambiguous {wizard.count_ambiguous}, rejected {wizard.count_rejected}"
        )

        def apply():
            wizard.action_apply()
            env.flush_all()

        _, apply_time = timed(f"apply {args.rows} rows (analysis, creates, updates, events)", apply, args.tracemalloc)
        log = wizard.log_id
        print(f"  log: created {log.count_new}, updated {log.count_updated}, rejected {log.count_rejected}")
        events = env["sysengage.event"]._read_group(
            [("res_model", "=", "res.partner"), ("res_name", "=like", "Bench Firma %")], ["event_type"], ["__count"]
        )
        print(f"  events in the history: {dict(events)}")
        print(
            f"Rates: preview {args.rows / preview_time:.0f} rows/s, apply {args.rows / apply_time:.0f} rows/s; "
            f"peak RSS {rss_mb():.0f} MB"
        )
        cr.rollback()


if __name__ == "__main__":
    main()
