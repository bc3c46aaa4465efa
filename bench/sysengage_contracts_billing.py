#!/usr/bin/env python3
"""Benchmark of the recurring billing of sysengage_contracts against the OCA ``contract`` addon.

Usage (from the repository root, on a FRESH database, e.g. ``createdb sg_bench``)::

    python3 bench/sysengage_contracts_billing.py sg_bench [--count 10000] [--batch 200] [--no-oca]

What it does:

1. downloads the OCA ``contract`` addon (``pip download odoo-addon-contract`` 19.0) into a temporary
   directory OUTSIDE the repository (it is never added to requirements.txt nor to a manifest);
2. installs ``sysengage_contracts`` and ``contract`` in the given database;
3. creates ``count`` Sysengage contracts of 3 lines (monthly, in advance, due today) and times
   ``_cron_generate_invoices`` to DRAFT invoices, printing the rate and the RSS after every batch;
4. creates ``count`` more, posted at once, and times the cron to POSTED invoices;
5. creates the same ``count`` contracts in the OCA addon and times its cron
   (``cron_recurring_create_invoice``, draft invoices); prints both rates and their ratio.

With ``--cron-workers N``, ``count`` more contracts are then billed (draft) by an Odoo server started in prefork
mode with N cron workers, as the scheduled action runs at night: triggered once, it wakes its twin (the second
scheduled action) and each worker bills its own batches. OCA's scheduled action runs in one worker: both ratios
are printed. A machine speed probe is timed before and after (compare runs made at the same speed).
"""

import argparse
import glob
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from unittest.mock import patch

from _odoo_bench import (
    ROOT,
    SpeedProbe,
    check_running,
    install,
    open_registry,
    peak_rss_mb,
    rss_mb,
    running_odoo_server,
)

OCA_REQUIREMENT = "odoo-addon-contract>=19.0,<19.1"
CREATE_CHUNK = 1000


def fetch_oca_contract(target):
    """Download the OCA contract wheel with pip and unpack its addon; return the addons path."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", OCA_REQUIREMENT, "-d", target],
        check=True,
    )
    wheel = sorted(glob.glob(os.path.join(target, "odoo_addon_contract-*.whl")))[-1]
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(os.path.join(target, "unpacked"))
    print(f"OCA contract: {os.path.basename(wheel)}")
    return os.path.join(target, "unpacked", "odoo", "addons")


def setup_data(env):
    """Customers, three products, the sales journal and tax shared by both benchmarks."""
    company = env.company
    tax = company.account_sale_tax_id
    products = env["product.product"].create(
        [
            {"name": f"Bench service {index}", "type": "service", "list_price": price, "taxes_id": [(6, 0, tax.ids)]}
            for index, price in enumerate((120.0, 35.5, 9.9))
        ]
    )
    customers = env["res.partner"].create(
        [
            {
                "name": f"Bench customer {index}",
                "is_company": True,
                "street": f"Bahnhofstrasse {index}",
                "zip": "8001",
                "city": "Zürich",
                "country_id": env.ref("base.ch").id,
            }
            for index in range(500)
        ]
    )
    journal = env["account.journal"].search([("company_id", "=", company.id), ("type", "=", "sale")], limit=1)
    return company, journal, products, customers


def bench_records(env):
    """The sales journal, products and customers the data set-up created, in ``env``."""
    return (
        env["account.journal"].browse(DATA["journal"]),
        env["product.product"].browse(DATA["products"]),
        env["res.partner"].browse(DATA["customers"]),
    )


def create_sysengage_contracts(odoo, registry, count, today, auto_post):
    from odoo import api

    ids = []
    for offset in range(0, count, CREATE_CHUNK):
        with registry.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True, "mail_create_nolog": True})
            journal, products, customers = bench_records(env)
            vals_list = [
                sysengage_contract_vals(
                    index, customers[index % len(customers)].id, journal.id, products, today, auto_post
                )
                for index in range(offset, min(offset + CREATE_CHUNK, count))
            ]
            ids += env["sysengage.contract"].create(vals_list).ids
    return ids


def time_sysengage_cron(odoo, registry, batch, today, label):
    from odoo import api

    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        cron_model = type(env["ir.cron"])
        original = cron_model._commit_progress
        stats = {"batches": 0, "done": 0, "rss": [], "last": time.monotonic()}
        started = time.monotonic()

        def progress(self, processed=0, *, remaining=None, deactivate=False):
            result = original(self, processed, remaining=remaining, deactivate=deactivate)
            stats["batches"] += 1
            stats["done"] += processed
            now = time.monotonic()
            elapsed = now - started
            batch_rate = processed / (now - stats["last"]) if now > stats["last"] else 0.0
            stats["last"] = now
            rss = rss_mb()
            stats["rss"].append(rss)
            if stats["batches"] % 5 == 1 or not remaining:
                print(
                    f"  [{label}] batch {stats['batches']:4d}: {stats['done']:6d} contracts, "
                    f"{stats['done'] / elapsed:7.1f}/s (this batch {batch_rate:6.1f}/s), "
                    f"RSS {rss:7.1f} MB, peak {peak_rss_mb():7.1f} MB"
                )
            return result

        with patch.object(cron_model, "_commit_progress", progress):
            env["sysengage.contract"]._cron_generate_invoices(batch_size=batch, reference_date=today)
        elapsed = time.monotonic() - started
    rss = stats["rss"]
    first, last = (rss[min(2, len(rss) - 1)], rss[-1]) if rss else (0.0, 0.0)
    print(
        f"{label}: {stats['done']} contracts in {elapsed:.1f} s = {stats['done'] / elapsed:.1f} contracts/s; "
        f"RSS after batch 3 {first:.0f} MB, after the last {last:.0f} MB (growth {last - first:+.0f} MB)"
    )
    return stats["done"] / elapsed if elapsed else 0.0


def time_sysengage_cron_workers(odoo, registry, count, today, batch, cron_workers, addons_path, log_path):
    """The draft billing of ``count`` due contracts as an Odoo server runs it: prefork, ``cron_workers`` cron
    workers; the invoicing scheduled action is triggered once (as its daily run) and wakes its twin, each worker
    takes its own batches (``FOR UPDATE SKIP LOCKED``). Timed from the trigger until no contract is due."""
    from odoo import api

    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        env["ir.config_parameter"].set_param("sysengage_contracts.batch_size", batch)
        cr.execute("SELECT COALESCE(MAX(id), 0) FROM account_move")
        last_move_id = cr.fetchone()[0]

    def due():
        with registry.cursor() as cr:
            return api.Environment(cr, odoo.SUPERUSER_ID, {})["sysengage.contract"]._count_due(today, 0)

    with running_odoo_server(registry.db_name, addons_path, log_path, cron_workers) as server:
        started = time.monotonic()
        with registry.cursor() as cr:
            api.Environment(cr, odoo.SUPERUSER_ID, {}).ref(
                "sysengage_contracts.ir_cron_sysengage_contract_invoices"
            )._trigger()
        while (left := due()) and time.monotonic() - started < 3600:
            check_running(server, log_path)
            time.sleep(0.5)
        elapsed = time.monotonic() - started
    with registry.cursor() as cr:
        cr.execute(
            "SELECT count(*), count(DISTINCT (sysengage_contract_id, sysengage_period_start)) FROM account_move "
            "WHERE id > %s AND sysengage_contract_id IS NOT NULL",
            [last_move_id],
        )
        invoices, distinct = cr.fetchone()
    done = count - left
    print(
        f"Sysengage draft, {cron_workers} cron workers: {done} contracts in {elapsed:.1f} s = "
        f"{done / elapsed:.1f} contracts/s ({invoices} invoices, {distinct} distinct contract periods)"
    )
    return done / elapsed if elapsed else 0.0


def sysengage_contract_vals(index, customer_id, journal_id, products, today, auto_post):
    """The values of a running Sysengage contract of the benches: monthly, one line per product (the same lines as
    the OCA contracts they are compared with)."""
    from odoo import Command

    return {
        "partner_id": customer_id,
        "journal_id": journal_id,
        "date_start": today,
        "periodicity": "monthly",
        "auto_post": auto_post,
        "group_invoices": False,
        "state": "running",
        "line_ids": [
            Command.create(
                {
                    "product_id": product.id,
                    "name": f"{product.name} #START# - #END#",
                    "quantity": 1 + (index + position) % 3,
                    "price_forced": True,
                    "price_unit": product.list_price,
                }
            )
            for position, product in enumerate(products)
        ],
    }


def oca_contract_vals(index, customer_id, journal_id, products, today):
    """The values of the OCA ``contract.contract`` the benches compare with: monthly, pre-paid, one line per product
    (the same lines as the Sysengage contracts of the run)."""
    from odoo import Command

    return {
        "name": f"OCA bench {index}",
        "partner_id": customer_id,
        "contract_type": "sale",
        "journal_id": journal_id,
        "line_recurrence": False,
        "date_start": today,
        "recurring_rule_type": "monthly",
        "recurring_interval": 1,
        "recurring_invoicing_type": "pre-paid",
        "recurring_next_date": today,
        "contract_line_ids": [
            Command.create(
                {
                    "date_start": today,
                    "recurring_next_date": today,
                    "product_id": product.id,
                    "name": f"{product.name} #START# - #END#",
                    "quantity": 1 + (index + position) % 3,
                    "price_unit": product.list_price,
                }
            )
            for position, product in enumerate(products)
        ],
    }


def run_oca(odoo, registry, count, today):
    from odoo import api

    for offset in range(0, count, CREATE_CHUNK):
        with registry.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True, "mail_create_nolog": True})
            journal, products, customers = bench_records(env)
            env["contract.contract"].create(
                [
                    oca_contract_vals(index, customers[index % len(customers)].id, journal.id, products, today)
                    for index in range(offset, min(offset + CREATE_CHUNK, count))
                ]
            )
    with registry.cursor() as cr:
        cr.execute("SELECT COALESCE(MAX(id), 0) FROM account_move")
        last_move_id = cr.fetchone()[0]
    rss_before = rss_mb()
    started = time.monotonic()
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        env["contract.contract"].cron_recurring_create_invoice(today)
        # only the invoices of this run
        created = env["account.move"].search_count(
            [("id", ">", last_move_id), ("invoice_line_ids.contract_line_id", "!=", False)]
        )
    elapsed = time.monotonic() - started
    print(
        f"OCA contract draft: {created} invoices in {elapsed:.1f} s = {created / elapsed:.1f} contracts/s; "
        f"RSS {rss_before:.0f} -> {rss_mb():.0f} MB, peak {peak_rss_mb():.0f} MB"
    )
    return created / elapsed if elapsed else 0.0


DATA = {}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("db", help="a fresh database (copy of the template)")
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--no-oca", action="store_true", help="skip the OCA contract comparison")
    parser.add_argument("--no-posted", action="store_true", help="skip the posted-invoices run")
    parser.add_argument("--only-oca", action="store_true", help="only the OCA run (modules already installed)")
    parser.add_argument("--skip-install", action="store_true", help="the modules are already installed")
    parser.add_argument(
        "--cron-workers",
        type=int,
        default=0,
        help="also bill --count more contracts (draft) by an Odoo server with this many cron workers",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="sg_bench_oca_") as tmp:
        addons_path = f"{ROOT / 'addons'}"
        modules = ["sysengage_contracts"]
        if not args.no_oca:
            addons_path += "," + fetch_oca_contract(tmp)
            modules.append("contract")
        if not args.only_oca and not args.skip_install:
            install(args.db, modules, addons_path)
        odoo, registry = open_registry(args.db, addons_path)
        from odoo import api, fields

        with registry.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {})
            today = fields.Date.context_today(env["res.partner"])
            _company, journal, products, customers = setup_data(env)
            DATA.update(journal=journal.id, products=products.ids, customers=customers.ids)
        print(f"count={args.count} batch={args.batch} reference date={today}")

        probe = SpeedProbe()
        draft_rate = posted_rate = workers_rate = None
        if not args.only_oca:
            started = time.monotonic()
            create_sysengage_contracts(odoo, registry, args.count, today, auto_post=False)
            print(f"created {args.count} Sysengage contracts in {time.monotonic() - started:.0f} s")
            draft_rate = time_sysengage_cron(odoo, registry, args.batch, today, "Sysengage draft")

        if not args.no_posted and not args.only_oca:
            create_sysengage_contracts(odoo, registry, args.count, today, auto_post=True)
            posted_rate = time_sysengage_cron(odoo, registry, args.batch, today, "Sysengage posted")

        if args.cron_workers and not args.only_oca:
            create_sysengage_contracts(odoo, registry, args.count, today, auto_post=False)
            workers_rate = time_sysengage_cron_workers(
                odoo,
                registry,
                args.count,
                today,
                args.batch,
                args.cron_workers,
                addons_path,
                os.path.join(tmp, "odoo-cron-workers.log"),
            )

        oca_rate = None
        if not args.no_oca:
            oca_rate = run_oca(odoo, registry, args.count, today)

    print("=" * 72)
    if draft_rate is not None:
        print(f"Sysengage -> draft invoices : {draft_rate:8.1f} contracts/s")
    if posted_rate is not None:
        print(f"Sysengage -> posted invoices: {posted_rate:8.1f} contracts/s")
    if oca_rate:
        print(f"OCA contract -> draft       : {oca_rate:8.1f} contracts/s")
    if oca_rate and draft_rate:
        print(f"ratio Sysengage/OCA (draft) : {draft_rate / oca_rate:8.2f}x (target >= 5x), one process each")
    if workers_rate is not None:
        print(f"Sysengage -> draft, {args.cron_workers} cron workers: {workers_rate:8.1f} contracts/s")
        if oca_rate:
            print(
                f"ratio with {args.cron_workers} cron workers/OCA: {workers_rate / oca_rate:8.2f}x (OCA's scheduled "
                "action runs in one worker)"
            )
    print(probe.report())
    print(f"peak RSS of the process     : {peak_rss_mb():8.1f} MB")


if __name__ == "__main__":
    main()
