#!/usr/bin/env python3
"""Benchmark of the bank-file import of sysengage_payment: a camt.054 of N QR credits against N open invoices.

Usage (from the repository root, on a FRESH database, e.g. ``createdb sg_camt``)::

    python3 bench/sysengage_payment_camt.py sg_camt [--count 10000] [--batch 100]

The target (issue #16) is 10,000 credits against 10,000 open invoices. Posting the invoices takes far longer
than importing the file, so prepare them once, then replay the timed import on them as often as needed (each
run rolls its bookings back and leaves the invoices open)::

    createdb sg_camt
    python3 bench/sysengage_payment_camt.py sg_camt --count 10000 --prepare-only          # once, ~15 min
    python3 bench/sysengage_payment_camt.py sg_camt --count 10000 --no-install --reuse --rollback

As an Odoo server runs it, the booking on its cron workers (the bookings are committed: run it on a copy of the
prepared database)::

    createdb -T sg_camt sg_camt_run
    python3 bench/sysengage_payment_camt.py sg_camt_run --count 10000 --no-install --reuse --cron-workers 2

What it does:

1. installs ``sysengage_payment`` in the given database (with its dependencies);
2. prepares a CHF bank journal on a QR-IBAN and ``count`` posted CHF invoices with QR references
   (not timed; committed in chunks; ``--reuse`` takes the open ones an earlier run left);
3. writes a camt.054.001.08 notification of ``count`` credits, ``batch`` TxDtls per booked entry (as banks
   batch QR-bill payments), each paying one invoice (every 10th partly, every 10th over);
4. times, in one transaction: parse + schema validation + matching (``_import_file``), then booking +
   reconciliation (``action_book_matched``: more than 1,000 credits are queued for the background job, run
   here in the same transaction, in chunks of whole bank entries) and what a commit runs before COMMIT
   (``cr.precommit``: mail tracking); prints the time and the RSS after each booked chunk (the memory stays
   flat), each phase, the rate in credits/s, the CPU time of this process and of its PostgreSQL backend (on
   a shared machine the wall time depends on the other processes, the CPU time does not), the load average
   and the peak RSS; a machine speed probe (a fixed pure-Python loop on one core) is timed before and after the
   timed part, with the share of CPU the hypervisor stole meanwhile: compare only runs made at the same speed;
5. with ``--cron-workers N``, instead of 4: imports and matches the file in this process as the administrator
   (the user's request, committed), clicks "Book matched payments", and starts an Odoo server in prefork mode with
   N cron workers, which book and reconcile the file (the job's two scheduled actions wake each other); times until
   no transaction is left to book or reconcile, prints the progress and the RSS of the server's processes every 5 s,
   how busy the whole machine was, and checks what was booked.

Last figures (2026-12-02, this 2-core machine shared with other test runs, load average 3.5-5):

- 2,000 credits, before the chunked booking (same bench, commit's mail tracking included): 47.3 s wall,
  CPU 31.1 s Odoo + 12.2 s PostgreSQL = 43.2 s (46 credits per CPU second), peak RSS 213 MB;
- 2,000 credits, after: 21.0 s wall (95 credits/s), CPU 14.2 s + 5.3 s = 19.5 s (103 per CPU second), 177 MB;
- 10,000 credits, after: 194 s wall (52 credits/s; parse + match 15.7 s, booking 178.5 s), CPU 75.4 s Odoo +
  46.7 s PostgreSQL = 122 s (82 per CPU second), RSS 217 MB after the import and 222 MB after each of the
  10 booked chunks. The 60 s target of issue #16 is not reached: what is left is core account's own work
  per journal item (creation, posting, partials, full reconciliations, payment state), one Odoo process
  and its PostgreSQL backend taking turns.

Session of 2026-12-02 evening, the machine otherwise idle (load 1), ``VACUUM ANALYZE`` before each run (each
``--rollback`` run leaves dead rows behind), the two runs one after the other on the same 10,000 invoices:

- before the import lines got their company and journal given, the counts by the database and the journal items
  the values core computes for them: 108.2 s (parse + match 7.2 s, booking 101.1 s), CPU 83.6 s + 24.4 s;
- after: 94.7 s (7.4 s + 87.4 s), CPU 71.9 s + 22.6 s, 106 credits/s, RSS 228 MB.
  The first run of the day, before the change, took 84.3 s: the speed of this shared machine varies by about
  25 % between runs, compare runs made one after the other only.

Session of 2026-12-04 (the job in booking and reconciliation steps), 10,000 credits:

- one process (``--rollback``, the job's steps one after the other), speed probe 180 ms: 125.6 s (parse + match
  11.0 s, book + reconcile 114.6 s), CPU 96.0 s Odoo + 29.2 s PostgreSQL;
- ``--cron-workers 2``, speed probe 139 ms: 71.4 s (7.9 s + 63.4 s), 140 credits/s, the machine 96 % busy on its 2
  cores, the workers flat at 158 MB: the steps run side by side, the machine's CPU is what is left;
- after the company check of the booked entries ran once per distinct company and value: 77.0 s (probe 163 ms) and
  69.2 s (probe 155 ms; 9.0 s + 60.2 s, the machine 97 % busy); interleaved with the code before it: before 76.0 s
  and 76.7 s, after 69.5 s, 59.4 s, 71.0 s, 61.1 s and 58.1 s (probe 138-161 ms; 7.8 s + 50.3 s, 172 credits/s).

Session of 2026-12-04 late morning (the transactions' company and journal given by the import, their company check
once per field and company for a batch), ``--cron-workers 2``, interleaved, probe 136-141 ms: before 56.2 s and
51.2 s, after 48.0 s, 50.2 s, 49.6 s and 51.0 s (parse + match 5.4-6.0 s instead of 7.3-7.9 s); with
``--no-invoice-notes`` 45.2 s and 43.5 s (5.2 s + 38.2 s, 230 credits/s). One process, interleaved: the booking's
CPU 55.6-57.4 s before and after, the import's 6.1 s before, 4.1 s after.
"""

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from unittest.mock import patch

from _odoo_bench import (
    ADDONS_PATH,
    ROOT,
    SpeedProbe,
    check_running,
    install,
    machine_busy,
    open_registry,
    peak_rss_mb,
    rss_mb,
    running_odoo_server,
)

QR_IBAN = "CH4431999123000889012"
CREATE_CHUNK = 500


def prepare(odoo, registry, count, reuse=False):
    """The QR-IBAN bank journal and ``count`` posted CHF invoices; returns the camt.054 rows."""
    from odoo import Command, api

    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        company = env.company
        chf = env.ref("base.CHF")
        chf.active = True
        company.partner_id.write(
            {"street": "Rue du Lac 12", "zip": "1003", "city": "Lausanne", "country_id": env.ref("base.ch").id}
        )
        bank = env["res.partner.bank"].search([("sanitized_acc_number", "=", QR_IBAN)], limit=1) or env[
            "res.partner.bank"
        ].create({"acc_number": QR_IBAN, "partner_id": company.partner_id.id, "allow_out_payment": True})
        journal = env["account.journal"].search([("bank_account_id", "=", bank.id)], limit=1) or env[
            "account.journal"
        ].create(
            {
                "name": "Bank CHF (bench)",
                "type": "bank",
                "code": "BBNCH",
                "currency_id": chf.id,
                "bank_account_id": bank.id,
            }
        )
        customers = env["res.partner"].search([("name", "=like", "Bench debtor %")], order="id") or env[
            "res.partner"
        ].create(
            [
                {
                    "name": f"Bench debtor {index}",
                    "is_company": True,
                    "street": f"Bahnhofstrasse {index}",
                    "zip": "8001",
                    "city": "Zürich",
                    "country_id": env.ref("base.ch").id,
                }
                for index in range(200)
            ]
        )
        ids = {"bank": bank.id, "journal": journal.id, "customers": customers.ids, "chf": chf.id}
    started = time.monotonic()
    move_ids = []
    if reuse:
        # the open invoices an earlier --rollback run left for the next run
        with registry.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {})
            move_ids = (
                env["account.move"]
                .search(
                    [
                        ("partner_id", "in", ids["customers"]),
                        ("partner_bank_id", "=", ids["bank"]),
                        ("state", "=", "posted"),
                        ("payment_state", "=", "not_paid"),
                    ],
                    order="id",
                    limit=count,
                )
                .ids
            )
        print(f"  {len(move_ids)} open bench invoices reused")
    for offset in range(len(move_ids), count, CREATE_CHUNK):
        with registry.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
            customers = env["res.partner"].browse(ids["customers"])
            moves = env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": customers[index % len(customers)].id,
                        "invoice_date": "2026-11-20",
                        "currency_id": ids["chf"],
                        "partner_bank_id": ids["bank"],
                        "invoice_line_ids": [
                            Command.create(
                                {"name": "Service", "quantity": 1, "price_unit": 100.0 + index % 97, "tax_ids": []}
                            )
                        ],
                    }
                    for index in range(offset, min(offset + CREATE_CHUNK, count))
                ]
            )
            moves.action_post()
            move_ids += moves.ids
        print(f"  {len(move_ids)} invoices posted ({time.monotonic() - started:.0f} s)", flush=True)
    rows = []
    stamp = int(time.time())  # the bank's own transaction ids: new ones for each run
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        for index, move in enumerate(env["account.move"].browse(move_ids)):
            amount = move.amount_total
            if index % 10 == 3:
                amount = round(amount / 2, 2)  # partial
            elif index % 10 == 7:
                amount = amount + 5.0  # over-payment
            rows.append(
                {
                    "amount": amount,
                    "ref_type": "QRR",
                    "ref": move.payment_reference,
                    "debtor_name": move.partner_id.name,
                    "acct_svcr_ref": f"BENCH-{stamp}-{index:08d}",
                }
            )
    return ids, rows


def process_cpu(pid):
    """CPU time (user + system, in s) of a process of this machine, e.g. the PostgreSQL backend of the cursor."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:  # PostgreSQL on another machine
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def watch_chunks(env, started_at):
    """Print the time and the RSS after each booked and each reconciled chunk (memory flat: the RSS must not grow
    with the chunks)."""
    line_class = type(env["sysengage.payment.import.line"])  # the class of this registry, in this process only
    book_entries, reconcile_booked = line_class._book_entries, line_class._reconcile_booked
    done = {"booked": 0, "reconciled": 0}

    def report(what, count):
        done[what] += count
        print(
            f"  {what} {done[what]} transactions at {time.monotonic() - started_at:.1f} s, RSS {rss_mb():.0f} MB",
            flush=True,
        )

    def watched_book(self, groups, **kwargs):
        result = book_entries(self, groups, **kwargs)
        report("booked", sum(map(len, groups)))
        return result

    def watched_reconcile(self):
        result = reconcile_booked(self)
        report("reconciled", len(self))
        return result

    line_class._book_entries = watched_book
    line_class._reconcile_booked = watched_reconcile


def process_tree_rss_mb(pid):
    """RSS (MB) of each child process of ``pid`` (the workers of an Odoo server in prefork mode)."""
    sizes = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            if parent != pid:
                continue
            with open(f"/proc/{entry}/statm") as statm:
                sizes[int(entry)] = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024
        except OSError:
            continue
    return sizes


def time_cron_workers(odoo, registry, data, journal_id, cron_workers, log_path):
    """The import as a user does it and an Odoo server runs it: parse + validate + match in the user's request
    (here, in this process, as the administrator, committed), then the click on "Book matched payments", which
    queues the file for the background job; an Odoo server in prefork mode with ``cron_workers`` cron workers
    books and reconciles it (the job's two scheduled actions wake each other). Timed from the start of the import
    until no transaction is left to book or reconcile. The bookings are committed: run it on a copy of the
    prepared database (``createdb -T``)."""
    from odoo import api

    with running_odoo_server(registry.db_name, ADDONS_PATH, log_path, cron_workers) as server:
        probe = SpeedProbe()
        print(
            f"cores={os.cpu_count()} load={os.getloadavg()[0]:.2f}; machine speed probe {probe.before:.0f} ms",
            flush=True,
        )
        started = time.monotonic()
        with registry.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {})
            admin = env.ref("base.user_admin")
            env = env(user=admin.id, context={"lang": admin.lang, "tz": admin.tz})
            record = env["sysengage.payment.import"]._import_file(
                data, file_name="bench.xml", journal=env["account.journal"].browse(journal_id)
            )
            env.flush_all()
            matched = time.monotonic()
            record.action_book_matched()
            record_id = record.id
        queued, busy_queued = time.monotonic(), machine_busy()
        print(f"  imported and matched in {matched - started:.1f} s; queued for the cron workers", flush=True)
        peak = {}
        last_print = 0.0

        def left():
            with registry.cursor() as cr:
                cr.execute(
                    "SELECT count(*) FILTER (WHERE state = 'to_book'), count(reconcile_line_id) "
                    "FROM sysengage_payment_import_line WHERE import_id = %s",
                    [record_id],
                )
                return cr.fetchone()

        while time.monotonic() - started < 3600:
            to_book, to_reconcile = left()
            for pid, size in process_tree_rss_mb(server.pid).items():
                peak[pid] = max(peak.get(pid, 0.0), size)
            now = time.monotonic()
            if now - last_print >= 5:
                print(
                    f"  {now - started:5.1f} s: {to_book} to book, {to_reconcile} to reconcile; worker RSS "
                    + ", ".join(f"{size:.0f}" for size in process_tree_rss_mb(server.pid).values())
                    + " MB",
                    flush=True,
                )
                last_print = now
            if not to_book and not to_reconcile:
                break
            check_running(server, log_path)
            time.sleep(0.2)
        done, busy_done = time.monotonic(), machine_busy()
    with registry.cursor() as cr:
        cr.execute(
            "SELECT count(*) FILTER (WHERE m.payment_state = 'paid'), count(*) FILTER (WHERE m.payment_state = "
            "'partial'), count(DISTINCT l.statement_line_id), count(*) FILTER (WHERE l.state = 'booked') "
            "FROM sysengage_payment_import_line l JOIN account_move m ON m.id = l.move_id WHERE l.import_id = %s",
            [record_id],
        )
        paid, partial, st_lines, booked = cr.fetchone()
    total = done - started
    count = booked
    print(
        f"parse + validate + match (the request): {matched - started:.1f} s; click {queued - matched:.1f} s; "
        f"book + reconcile on {cron_workers} cron workers: {done - queued:.1f} s"
    )
    print(
        f"total: {count} credits in {total:.1f} s = {count / total:.0f} credits/s; {booked} transactions booked in "
        f"{st_lines} statement lines; invoices paid {paid}, partly paid {partial}"
    )
    busy = busy_done - busy_queued
    print(
        f"CPU time of the whole machine while the cron workers booked: {busy:.1f} s of "
        f"{(done - queued) * os.cpu_count():.1f} s on {os.cpu_count()} cores "
        f"({100 * busy / ((done - queued) * os.cpu_count()):.0f} % busy: Odoo's workers, PostgreSQL, this script)"
    )
    print("peak RSS of the server's processes: " + ", ".join(f"{size:.0f}" for size in peak.values()) + " MB")
    print(probe.report())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("db", help="a fresh database")
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--batch", type=int, default=100, help="TxDtls per booked entry")
    parser.add_argument("--no-install", action="store_true")
    parser.add_argument("--profile", metavar="FILE", help="profile the timed part with cProfile into FILE")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="pay the open bench invoices left by an earlier --rollback run (create only the missing)",
    )
    parser.add_argument(
        "--rollback",
        action="store_true",
        help="roll the timed import back, leaving the invoices open for a next --reuse run",
    )
    parser.add_argument("--prepare-only", action="store_true", help="only create the open invoices")
    parser.add_argument(
        "--no-invoice-notes",
        action="store_true",
        help="the company's setting off: no note in the chatter of each paid invoice (sysengage_payment_invoice_note)",
    )
    parser.add_argument(
        "--cron-workers",
        type=int,
        metavar="N",
        help="book on an Odoo server with N cron workers (commits: run on a copy of the prepared database)",
    )
    args = parser.parse_args()
    if not args.no_install:
        install(args.db, ["sysengage_payment"])
    odoo, registry = open_registry(args.db)
    sys.path.insert(0, str(ROOT / "addons" / "sysengage_payment" / "tests"))
    from camt_samples import write_camt  # the spec-written sample builder of the tests

    from odoo import api
    from odoo.tools import SQL

    print(f"preparing {args.count} open invoices...")
    ids, rows = prepare(odoo, registry, args.count, reuse=args.reuse)
    if args.prepare_only:
        return
    with registry.cursor() as cr:
        # the setting of the company, committed (a --rollback run keeps it for the next run: set on each run)
        api.Environment(cr, odoo.SUPERUSER_ID, {}).company.sysengage_payment_invoice_note = not args.no_invoice_notes
    print(f"a note in the chatter of each paid invoice: {'no' if args.no_invoice_notes else 'yes'}")
    entries = [
        {"date": "2026-11-30", "ntry_ref": QR_IBAN, "transactions": rows[offset : offset + args.batch]}
        for offset in range(0, len(rows), args.batch)
    ]
    data = write_camt(entries, account=QR_IBAN, msg_id=f"BENCH-{args.count}-{int(time.time())}")
    print(f"camt.054.001.08: {len(data) / 1024 / 1024:.1f} MB, {len(entries)} entries, {len(rows)} credits")
    if args.cron_workers:
        log_path = os.path.join(tempfile.gettempdir(), f"{args.db}-odoo-cron-workers.log")
        print(f"Odoo server log: {log_path}")
        time_cron_workers(odoo, registry, data, ids["journal"], args.cron_workers, log_path)
        return
    probe = SpeedProbe()
    print(
        f"cores={os.cpu_count()} load={os.getloadavg()[0]:.2f} (machine shared with other users); "
        f"machine speed probe {probe.before:.0f} ms",
        flush=True,
    )
    rss_before = rss_mb()
    profiler = cProfile.Profile() if args.profile else None
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})  # the context of a user importing through the wizard
        backend = env.execute_query(SQL("SELECT pg_backend_pid()"))[0][0]
        watch_chunks(env, started_at=time.monotonic())
        if profiler:
            profiler.enable()
        started, cpu_started, pg_started = time.monotonic(), time.process_time(), process_cpu(backend)
        record = env["sysengage.payment.import"]._import_file(
            data, file_name="bench.xml", journal=env["account.journal"].browse(ids["journal"])
        )
        env.flush_all()
        matched, cpu_matched = time.monotonic(), time.process_time()
        print(f"  imported and matched: RSS {rss_mb():.0f} MB", flush=True)
        # the click: a file of more than 1,000 matched credits is queued for the background job, which the
        # click wakes; the job runs here, in this transaction (its commit after each chunk becomes one commit, or
        # the rollback of --rollback, at the end)
        record.action_book_matched()
        with patch.object(type(env["ir.cron"]), "_commit_progress", lambda self, processed=0, **kw: float("inf")):
            env["sysengage.payment.import"]._cron_book_queued()
        env.flush_all()
        # what the commit of the user's request runs before COMMIT (e.g. the mail tracking of the changed records)
        cr.precommit.run()
        env.flush_all()
        booked, cpu_booked, pg_booked = time.monotonic(), time.process_time(), process_cpu(backend)
        if profiler:
            profiler.disable()
            profiler.dump_stats(args.profile)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        states = dict(
            env["sysengage.payment.import.line"]._read_group([("import_id", "=", record.id)], ["state"], ["__count"])
        )
        paid = env["account.move"].search_count(
            [("id", "in", record.line_ids.move_id.ids), ("payment_state", "=", "paid")]
        )
        partial = env["account.move"].search_count(
            [("id", "in", record.line_ids.move_id.ids), ("payment_state", "=", "partial")]
        )
        if args.rollback:
            cr.rollback()
        else:
            cr.commit()
    total = booked - started
    print(
        f"parse + validate + match: {matched - started:.1f} s ({len(rows) / (matched - started):.0f} credits/s), "
        f"CPU {cpu_matched - cpu_started:.1f} s"
    )
    print(
        f"book + reconcile:         {booked - matched:.1f} s ({len(rows) / (booked - matched):.0f} credits/s), "
        f"CPU {cpu_booked - cpu_matched:.1f} s"
    )
    print(
        f"total: {len(rows)} credits in {total:.1f} s = {len(rows) / total:.0f} credits/s; lines {states}; "
        f"invoices paid {paid}, partly paid {partial}"
    )
    # on a shared machine the wall time depends on the other processes: the CPU time of this process and of its
    # PostgreSQL backend says what the import itself costs
    cpu, pg_cpu = cpu_booked - cpu_started, pg_booked - pg_started
    print(
        f"CPU time: Odoo process {cpu:.1f} s + its PostgreSQL backend {pg_cpu:.1f} s = {cpu + pg_cpu:.1f} s "
        f"({len(rows) / (cpu + pg_cpu):.0f} credits per CPU second); "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    print(f"RSS before {rss_before:.0f} MB, after {rss_mb():.0f} MB, peak {peak_rss_mb():.0f} MB")
    print(probe.report())


if __name__ == "__main__":
    main()
