#!/usr/bin/env python3
"""Month-end benchmark: N contracts invoiced, posted, archived (signed, timestamped) and dispatched
by e-mail, eBill and paper, through the scheduled actions users run; then the peer path on a sample.

Usage (from the repository root, on a FRESH database)::

    createdb sg_me
    python3 bench/sysengage_month_end.py sg_me --count 2000

What it does (figures printed, never asserted):

1. downloads the OCA ``contract`` addon with pip into a temporary directory OUTSIDE the repository
   (as ``bench/sysengage_contracts_billing.py`` does) and installs it with ``sysengage_contracts``,
   ``sysengage_einvoice`` and ``sysengage_ged`` (``--skip-install``: already installed);
2. makes the main company Swiss (chart ``ch``, CHF, QR-IBAN on the sales journal), starts loopback
   servers: SMTP (aiosmtpd), eBill Software Partner API (HTTPS, self-signed), RFC 3161 authority
   (the GED tests' PKI, which also issues the company's signing certificate), and an Odoo HTTP server
   from which wkhtmltopdf loads the report assets; the customers are spread over e-mail, eBill and paper;
3. creates ``--count`` contracts of 3 lines (monthly, posting and sending their invoices at once) and runs,
   each until it has nothing left, the scheduled actions as the cron workers run them
   (``ir.cron.method_direct_trigger``): contracts invoicing (create, post, hand the invoices to core's
   "Send & Print" job), GED archive job (render, sign, chain, one timestamp per batch), core's send job
   (queued on each customer's channel, with the archived PDF), the dispatch cron (e-mail and eBill sent),
   and the paper print batches as a user prints them;
   With ``--cron-workers N`` the same month end runs on an Odoo server started in prefork mode with N cron
   workers (processes): the contracts cron is triggered once (it wakes its twin, the second invoicing scheduled
   action, when more than one batch is due) and nobody acts but the paper printing; the archive job (woken by the
   postings) runs beside it, its second scheduled action (woken when more than one
   batch waits) takes a freed worker, core's send job is woken by the archive job for the invoices it
   archived, and the dispatch cron sends meanwhile; the back office prints a paper batch whenever a full batch
   (``--paper-batch``) waits, and the rest at the end; each stage ends when the database holds all its documents;
4. the peer path on ``--peer-sample`` contracts of the same customers and products: OCA ``contract``
   cron (draft invoices), core posting, core Send & Print by e-mail (the invoice PDF with its QR-bill
   attached, mail queue sent to the same SMTP server), with the ratio.

Each stage prints its count, wall time, rate, CPU time of this process (and of its wkhtmltopdf
children), the machine's CPU busy time over the stage (every process, PostgreSQL and other users
included) and the load average: the machine is shared, read the figures with them. A machine speed probe (a
fixed pure-Python loop on one core) is timed before and after the run, and the share of CPU the hypervisor stole
is printed: the same code took twice as long on this virtual machine on some afternoons (2026-12-03: creating the
10,000 contracts of the set-up, one process alone on the machine, 11.1 ms each in one run and 5.5 ms in another),
compare only runs made at the same speed.
"""

import argparse
import base64
import contextlib
import cProfile
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from unittest.mock import patch

from _odoo_bench import (
    ROOT,
    SpeedProbe,
    install,
    machine_busy,
    open_registry,
    peak_rss_mb,
    rss_mb,
    start_odoo_server,
)

CREATE_CHUNK = 1000
QR_IBAN = "CH4431999123000889012"
BILLER = "41101000001021209"
CHANNEL_KINDS = ("email", "ebill", "paper")
PROFILE = {}


# ----------------------------------------------------------------------------------------------
# measuring
# ----------------------------------------------------------------------------------------------
def _own_cpu():
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


class Stage:
    """Times one stage: wall, CPU of this process and its children, machine CPU, load."""

    results = []

    def __init__(self, label, unit="invoices"):
        self.label, self.unit, self.count = label, unit, 0

    def __enter__(self):
        self.wall = time.monotonic()
        self.cpu, self.child_cpu = _own_cpu()
        self.busy = machine_busy()
        return self

    def __exit__(self, *exc):
        self.wall = time.monotonic() - self.wall
        cpu, child_cpu = _own_cpu()
        self.cpu, self.child_cpu = cpu - self.cpu, child_cpu - self.child_cpu
        self.busy = machine_busy() - self.busy
        self.load = os.getloadavg()[0]
        Stage.results.append(self)
        print(f"  -> {self.line()}", flush=True)

    @property
    def rate(self):
        return self.count / self.wall if self.wall else 0.0

    def line(self):
        return (
            f"{self.label:<34} {self.count:6d} {self.unit:<9} {self.wall:8.1f} s {self.rate:7.1f}/s "
            f"{1000 * self.wall / max(self.count, 1):7.1f} ms each | CPU here {self.cpu:6.1f} s"
            f" + wkhtmltopdf {self.child_cpu:6.1f} s | machine busy {self.busy:6.1f} s"
            f" of {2 * self.wall:6.1f} | load {self.load:4.2f} | RSS {rss_mb():5.0f} MB"
        )


# ----------------------------------------------------------------------------------------------
# set-up
# ----------------------------------------------------------------------------------------------
def _env(odoo, cr, **context):
    from odoo import api

    return api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True, "mail_create_nolog": True, **context})


def setup_company(env, servers, http_port):
    """The main company as a Swiss SME with archive and dispatch configured; returns the ids used."""
    from odoo import Command

    company = env.ref("base.main_company")
    company.write(
        {
            "name": "Bench Monatsende AG",
            "street": "Bahnhofstrasse 10",
            "zip": "8001",
            "city": "Zürich",
            "country_id": env.ref("base.ch").id,
            "email": "billing@bench.example.ch",
            "vat": "CHE-116.281.710 MWST",
        }
    )
    if company.chart_template != "ch":
        env.ref("base.CHF").active = True
        company.currency_id = env.ref("base.CHF")
        # the chart must not pull other country modules in (e.g. peppol and its dependencies)
        module_class = type(env["ir.module.module"])
        with patch.object(module_class, "button_immediate_install", lambda self: None):
            env["account.chart.template"].try_loading("ch", company, install_demo=False)
    env["ir.config_parameter"].set_param("report.url", f"http://127.0.0.1:{http_port}")
    journal = env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
    journal.bank_account_id = env["res.partner.bank"].create(
        {"acc_number": QR_IBAN, "partner_id": company.partner_id.id}
    )
    tax = env["account.tax"].search(
        [
            ("company_id", "=", company.id),
            ("type_tax_use", "=", "sale"),
            ("amount", "=", 8.1),
            ("amount_type", "=", "percent"),
            ("price_include", "=", False),
        ],
        limit=1,
    )
    products = env["product.product"].create(
        [
            {"name": f"Abonnement {name}", "type": "service", "list_price": price, "taxes_id": [Command.set(tax.ids)]}
            for name, price in (("Basis", 120.0), ("Support", 35.5), ("Speicher", 9.9))
        ]
    )
    pki = servers["pki"]
    company.write(
        {
            "sysengage_ged_archive_enabled": True,
            "sysengage_ged_tsa_url": pki.tsa_url,
            "sysengage_ged_cert_file": base64.b64encode(pki.signer_pkcs12("bench")),
            "sysengage_ged_cert_password": "bench",
        }
    )
    mail_server = env["ir.mail_server"].create(
        {"name": "Loopback", "smtp_host": "127.0.0.1", "smtp_port": servers["smtp"].port, "smtp_encryption": "none"}
    )
    https = servers["ebill"]
    channels = env["sysengage.einvoice.channel"].create(
        [
            {
                "name": "Bench e-mail",
                "channel_type": "email",
                "company_id": company.id,
                "mail_server_id": mail_server.id,
            },
            {
                "name": "Bench eBill",
                "channel_type": "ebill",
                "company_id": company.id,
                "url": f"{https.url}/swp/v1",
                "tls_ca_cert": https.cert_pem,
                "api_token": "bench-token",
                "ebill_biller_id": BILLER,
            },
            {"name": "Bench paper", "channel_type": "paper", "company_id": company.id},
        ]
    )
    methods = {"email": "sysengage_email", "ebill": "sysengage_ebill", "paper": "sysengage_paper"}
    customers = env["res.partner"].create(
        [
            {
                "name": f"Kunde {index} AG",
                "is_company": True,
                "street": f"Seestrasse {index + 1}",
                "zip": "6003",
                "city": "Luzern",
                "country_id": env.ref("base.ch").id,
                "email": f"ap{index}@kunde.example.ch",
                "lang": "en_US",
                "invoice_sending_method": methods[CHANNEL_KINDS[index % 3]],
                "sysengage_ebill_recipient_id": f"4110500000{index:07d}" if index % 3 == 1 else False,
            }
            for index in range(300)
        ]
    )
    # the peer's customers: the same, sent by core e-mail
    peer_customers = env["res.partner"].create(
        [
            {
                "name": f"Peer Kunde {index} AG",
                "is_company": True,
                "street": f"Seestrasse {index + 1}",
                "zip": "6003",
                "city": "Luzern",
                "country_id": env.ref("base.ch").id,
                "email": f"peer{index}@kunde.example.ch",
                "lang": "en_US",
                "invoice_sending_method": "email",
            }
            for index in range(100)
        ]
    )
    return {
        "company": company.id,
        "journal": journal.id,
        "products": products.ids,
        "customers": customers.ids,
        "peer_customers": peer_customers.ids,
        "channels": channels.ids,
    }


def create_contracts(odoo, registry, data, count, today):
    from sysengage_contracts_billing import sysengage_contract_vals

    for offset in range(0, count, CREATE_CHUNK):
        with registry.cursor() as cr:
            env = _env(odoo, cr)
            products = env["product.product"].browse(data["products"])
            customers = data["customers"]
            env["sysengage.contract"].create(
                [
                    sysengage_contract_vals(
                        index, customers[index % len(customers)], data["journal"], products, today, auto_post=True
                    )
                    | {"auto_send": True}
                    for index in range(offset, min(offset + CREATE_CHUNK, count))
                ]
            )


@contextlib.contextmanager
def profiled(stage):
    """Profile the block with cProfile when ``--profile-<stage>`` names a file: dumped there, the top printed."""
    if not PROFILE.get(stage):
        yield
        return
    profiler = cProfile.Profile()
    with profiler:
        yield
    profiler.dump_stats(PROFILE[stage])
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


def run_cron(odoo, registry, xmlid, pending_sql, max_runs=10000):
    """Run the scheduled action ``xmlid`` as a cron worker does, until ``pending_sql`` counts 0 (or a
    run leaves as many pending as before: the rest waits for a retry, reported by the caller)."""
    runs, before = 0, None
    while runs < max_runs:
        with registry.cursor() as cr:
            cr.execute(pending_sql)
            pending = cr.fetchone()[0]
            if not pending or pending == before:
                return runs
            before = pending
            env = _env(odoo, cr)
            env.ref(xmlid).method_direct_trigger()
        runs += 1
    return runs


def _count(registry, query):
    with registry.cursor() as cr:
        cr.execute(query)
        return cr.fetchone()[0]


# ----------------------------------------------------------------------------------------------
# the Sysengage month end
# ----------------------------------------------------------------------------------------------
def month_end(odoo, registry, data, count, today, servers, paper_batch):
    from odoo.addons.sysengage_ged.tools import rfc3161

    with Stage("create contracts (set-up)", "contracts") as stage:
        create_contracts(odoo, registry, data, count, today)
        stage.count = count
    first_move = _count(registry, "SELECT COALESCE(MAX(id), 0) FROM account_move")
    moves_sql = f"SELECT count(*) FROM account_move WHERE id > {int(first_move)} AND move_type = 'out_invoice'"
    started = time.monotonic()

    with Stage("contracts cron: create + post") as stage:
        run_cron(
            odoo,
            registry,
            "sysengage_contracts.ir_cron_sysengage_contract_invoices",
            "SELECT count(*) FROM sysengage_contract WHERE active AND state = 'running' "
            f"AND next_invoice_date <= '{today}'",
        )
        stage.count = _count(registry, moves_sql + " AND state = 'posted'")
    queued = _count(registry, "SELECT count(*) FROM sysengage_ged_archive_queue")
    print(f"     invoices posted: {stage.count}; queued for the archive at posting: {queued}")

    calls = []
    request_timestamp = rfc3161.request_timestamp

    def counting_request(*args, **kwargs):
        calls.append(1)
        return request_timestamp(*args, **kwargs)

    with (
        Stage("archive cron: render+sign+chain+TSA") as stage,
        patch.object(rfc3161, "request_timestamp", counting_request),
        profiled("archive"),
    ):
        run_cron(
            odoo,
            registry,
            "sysengage_ged.ir_cron_sysengage_ged_archive_pending",
            "SELECT count(*) FROM sysengage_ged_archive_queue",
        )
        stage.count = _count(registry, f"SELECT count(*) FROM sysengage_ged_archive WHERE move_id > {int(first_move)}")
    with registry.cursor() as cr:
        cr.execute("SELECT state, count(*) FROM sysengage_ged_archive WHERE move_id > %s GROUP BY state", [first_move])
        states = dict(cr.fetchall())
        cr.execute("SELECT count(*) FROM sysengage_ged_archive_queue")
        left = cr.fetchone()[0]
    print(f"     archives by state: {states}; queue left: {left}; authority calls: {len(calls)}")

    with Stage("Send & Print (core send cron)") as stage, profiled("send"):
        # the contracts handed their invoices to core's send job at posting (they send them at once)
        run_cron(
            odoo,
            registry,
            "account.ir_cron_account_move_send",
            f"SELECT count(*) FROM account_move WHERE sending_data IS NOT NULL AND id > {int(first_move)}",
        )
        stage.count = _count(
            registry,
            f"SELECT count(*) FROM sysengage_einvoice_document WHERE move_id > {int(first_move)}",
        )
    with registry.cursor() as cr:
        cr.execute(
            "SELECT c.channel_type, count(*), count(*) FILTER (WHERE d.state_message IS NOT NULL)"
            "  FROM sysengage_einvoice_document d JOIN sysengage_einvoice_channel c ON c.id = d.channel_id"
            " WHERE d.move_id > %s GROUP BY c.channel_type",
            [first_move],
        )
        print(f"     queued documents (channel, count, with a problem): {cr.fetchall()}")

    smtp_before, ebill_before = len(servers["smtp"].messages), len(servers["ebill"].requests)
    with Stage("dispatch cron: e-mail + eBill") as stage, profiled("dispatch"):
        run_cron(
            odoo,
            registry,
            "sysengage_einvoice.ir_cron_sysengage_einvoice_send",
            "SELECT count(*) FROM sysengage_einvoice_document d JOIN sysengage_einvoice_channel c"
            " ON c.id = d.channel_id WHERE d.state = 'to_send' AND c.channel_type != 'paper'"
            " AND COALESCE(d.attempt_count, 0) < c.max_attempts AND d.state_message IS NULL"
            f" AND d.move_id > {int(first_move)}",
            max_runs=len(CHANNEL_KINDS) * count,
        )
        stage.count = (len(servers["smtp"].messages) - smtp_before) + (len(servers["ebill"].requests) - ebill_before)
    print(
        f"     e-mails received by the SMTP server: {len(servers['smtp'].messages) - smtp_before}; "
        f"eBill business cases received: {len(servers['ebill'].requests) - ebill_before}"
    )

    print_paper_batches(odoo, registry, first_move, paper_batch)
    wall = time.monotonic() - started
    return wall, exactly_once(registry, first_move, count, moves_sql)


def print_paper_batches(odoo, registry, first_move, paper_batch):
    """The paper documents of the invoices after ``first_move``, printed in batches as a user does."""
    with Stage("paper print batches") as stage:
        while True:
            with registry.cursor() as cr:
                documents = _env(odoo, cr)["sysengage.einvoice.document"].search(
                    [("state", "=", "to_send"), ("channel_type", "=", "paper"), ("move_id.id", ">", first_move)],
                    limit=paper_batch,
                )
                if not documents:
                    break
                documents.action_print_batch()
                stage.count += len(documents)


def exactly_once(registry, first_move, count, moves_sql):
    """Print the documents by channel and state, and how many invoices, dispatch documents and archives the
    contracts got (each exactly once); returns the number of invoices."""
    with registry.cursor() as cr:
        cr.execute(
            "SELECT c.channel_type, d.state, count(*) FROM sysengage_einvoice_document d"
            "  JOIN sysengage_einvoice_channel c ON c.id = d.channel_id WHERE d.move_id > %s"
            " GROUP BY 1, 2 ORDER BY 1, 2",
            [first_move],
        )
        print(f"     documents (channel, state, count): {cr.fetchall()}")
        cr.execute(
            "SELECT count(*), count(DISTINCT move_id) FROM sysengage_einvoice_document WHERE move_id > %s",
            [first_move],
        )
        documents, distinct = cr.fetchone()
        cr.execute(
            "SELECT count(*), count(DISTINCT move_id) FROM sysengage_ged_archive WHERE move_id > %s", [first_move]
        )
        archives, archived = cr.fetchone()
    invoices = _count(registry, moves_sql)
    print(
        f"     exactly once: {invoices} invoices for {count} contracts; {documents} dispatch documents for "
        f"{distinct} invoices; {archives} archives for {archived} invoices"
    )
    return invoices


# ----------------------------------------------------------------------------------------------
# the same month end run by the cron workers of an Odoo server (prefork)
# ----------------------------------------------------------------------------------------------
def _wait(registry, query, target, server, timeout=7200, meanwhile=None):
    """Poll ``query`` every second until it counts ``target`` (or stops moving for 5 minutes), calling
    ``meanwhile`` (what a user does in the meantime) between the polls. Returns the last count."""
    started = last_change = time.monotonic()
    last = None
    while time.monotonic() - started < timeout:
        value = _count(registry, query)
        if value != last:
            last, last_change = value, time.monotonic()
        if value == target:
            return value
        if server.poll() is not None:
            raise RuntimeError(f"the Odoo server stopped (exit code {server.poll()}): see its log")
        if time.monotonic() - last_change > 300:
            print(f"     stopped waiting: {value} of {target}, no change for 5 minutes")
            return value
        if meanwhile:
            meanwhile()
        time.sleep(1)
    return last


def _paper_batch_printer(odoo, registry, first_move, paper_batch):
    """What the back office does during the run: print a batch of paper invoices as soon as a full batch
    (``paper_batch`` documents) waits. Returns the callable and the list of the batch sizes printed."""
    printed = []

    def print_full_batch():
        with registry.cursor() as cr:
            documents = _env(odoo, cr)["sysengage.einvoice.document"].search(
                [("state", "=", "to_send"), ("channel_type", "=", "paper"), ("move_id.id", ">", first_move)],
                limit=paper_batch,
            )
            if len(documents) == paper_batch:
                documents.action_print_batch()
                printed.append(len(documents))

    return print_full_batch, printed


def _trigger(odoo, registry, xmlid):
    with registry.cursor() as cr:
        _env(odoo, cr).ref(xmlid)._trigger()


def month_end_on_workers(odoo, registry, data, count, today, servers, paper_batch, cron_workers, server_args):
    """The month end as an Odoo server's cron workers run it: the contracts cron triggered once (as its daily
    run would), the archive job woken by the postings and running beside it in another worker; then "Send &
    Print" of the posted invoices by a user, core's send cron and the dispatch cron side by side; then the
    paper batches. Each stage ends when its documents are all there (polled in the database)."""
    with Stage("create contracts (set-up)", "contracts") as stage:
        create_contracts(odoo, registry, data, count, today)
        stage.count = count
    first_move = _count(registry, "SELECT COALESCE(MAX(id), 0) FROM account_move")
    moves_sql = f"SELECT count(*) FROM account_move WHERE id > {int(first_move)} AND move_type = 'out_invoice'"
    archives_sql = f"SELECT count(*) FROM sysengage_ged_archive WHERE move_id > {int(first_move)}"
    smtp_before, ebill_before = len(servers["smtp"].messages), len(servers["ebill"].requests)
    server = start_odoo_server(*server_args, cron_workers)
    try:
        time.sleep(5)  # the server loads the registry before its cron workers listen
        started = time.monotonic()
        # the contracts cron posts the invoices and hands them to core's send job (the contracts send their
        # invoices at once): nobody acts but the back office printing the paper batches
        print_full_paper_batch, paper_printed = _paper_batch_printer(odoo, registry, first_move, paper_batch)
        with Stage(f"{cron_workers} cron workers: create + post") as stage:
            _trigger(odoo, registry, "sysengage_contracts.ir_cron_sysengage_contract_invoices")
            stage.count = posted = _wait(registry, moves_sql + " AND state = 'posted'", count, server)
        with Stage(f"{cron_workers} cron workers: archive (beside)") as stage:
            stage.count = _wait(registry, archives_sql, posted, server, meanwhile=print_full_paper_batch)
        print(f"     archives done {time.monotonic() - started:.1f} s after the contracts cron was triggered")
        with Stage(f"{cron_workers} cron workers: Send & Print + dispatch (beside)") as stage:
            # core's send job sends each invoice once archived (woken by the archive job) on its customer's
            # channel; the dispatch cron, woken by the documents queued, sends the e-mails and eBills meanwhile
            electronic = sum(1 for index in range(count) if CHANNEL_KINDS[index % 300 % 3] != "paper")
            _wait(
                registry,
                "SELECT count(*) FROM sysengage_einvoice_document d JOIN sysengage_einvoice_channel c"
                " ON c.id = d.channel_id WHERE d.state != 'to_send' AND c.channel_type != 'paper'"
                f" AND d.move_id > {int(first_move)}",
                electronic,
                server,
                meanwhile=print_full_paper_batch,
            )
            stage.count = (len(servers["smtp"].messages) - smtp_before) + (
                len(servers["ebill"].requests) - ebill_before
            )
        print(f"     e-mails and eBills all sent {time.monotonic() - started:.1f} s after the contracts cron")
        # the paper documents are all queued once every invoice has left core's send job
        _wait(
            registry,
            f"SELECT count(*) FROM sysengage_einvoice_document WHERE move_id > {int(first_move)}",
            posted,
            server,
        )
        print(f"     paper batches printed meanwhile (full batches, as they came): {paper_printed}")
        print_paper_batches(odoo, registry, first_move, paper_batch)
        wall = time.monotonic() - started
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
    return wall, exactly_once(registry, first_move, count, moves_sql)


# ----------------------------------------------------------------------------------------------
# the peer path
# ----------------------------------------------------------------------------------------------
def peer(odoo, registry, data, sample, today, servers):
    from sysengage_contracts_billing import oca_contract_vals

    with registry.cursor() as cr:
        env = _env(odoo, cr)
        # core posting: no Sysengage archive queue for the peer
        env["res.company"].browse(data["company"]).sysengage_ged_archive_enabled = False
        products = env["product.product"].browse(data["products"])
        customers = data["peer_customers"]
        env["contract.contract"].create(
            [
                oca_contract_vals(index, customers[index % len(customers)], data["journal"], products, today)
                for index in range(sample)
            ]
        )
        cr.execute("SELECT COALESCE(MAX(id), 0) FROM account_move")
        first_move = cr.fetchone()[0]
    started = time.monotonic()
    with Stage("peer: OCA contract cron (draft)") as stage:
        with registry.cursor() as cr:
            _env(odoo, cr)["contract.contract"].cron_recurring_create_invoice(today)
        stage.count = _count(registry, f"SELECT count(*) FROM account_move WHERE id > {int(first_move)}")
    with Stage("peer: core posting") as stage:
        with registry.cursor() as cr:
            moves = _env(odoo, cr)["account.move"].search([("id", ">", first_move)])
            moves.action_post()
            stage.count = len(moves)
    smtp_before = len(servers["smtp"].messages)
    with Stage("peer: core Send & Print + mail queue") as stage:
        # Send & Print of each invoice (account.move.send.wizard): the batch wizard hands several
        # invoices to one wkhtmltopdf run, which this machine's wkhtmltopdf (unpatched Qt) refuses
        # as soon as it warns about a resource (core raises "Tried to convert multiple documents")
        with registry.cursor() as cr:
            env = _env(odoo, cr)
            move_ids = env["account.move"].search([("id", ">", first_move)]).ids
        for move_id in move_ids:
            with registry.cursor() as cr:
                env = _env(odoo, cr, active_model="account.move", active_ids=[move_id])
                env["account.move.send.wizard"].create({"move_id": move_id}).action_send_and_print()
        run_cron(
            odoo,
            registry,
            "mail.ir_cron_mail_scheduler_action",
            "SELECT count(*) FROM mail_mail WHERE state = 'outgoing'",
            max_runs=100,
        )
        stage.count = len(servers["smtp"].messages) - smtp_before
    wall = time.monotonic() - started
    with registry.cursor() as cr:
        _env(odoo, cr)["res.company"].browse(data["company"]).sysengage_ged_archive_enabled = True
    return wall, stage.count


# ----------------------------------------------------------------------------------------------
def start_servers(db, http_port):
    import odoo
    from odoo.service.server import ThreadedServer
    from odoo.tools import config

    from odoo.addons.sysengage_einvoice.tests.servers import HttpsServer, SmtpServer
    from odoo.addons.sysengage_ged.tests.testing_pki import LoopbackPKI

    config["http_port"] = http_port
    config["dbfilter"] = f"^{db}$"  # the HTTP server serves this database's report assets
    ThreadedServer(odoo.http.root).http_spawn()  # wkhtmltopdf loads the report assets from it
    created = (201, '{"id": "NWPBCID0FB909852BBC4D06AD8336AAE87D7FC9"}', "application/json")
    # the loopback servers count what they receive: they do not keep thousands of PDFs in this process's memory
    servers = {
        "smtp": SmtpServer(keep_content=False),
        "ebill": HttpsServer([created], keep_content=False),
        "pki": LoopbackPKI(),
    }
    servers["smtp"].__enter__()
    servers["ebill"].__enter__()
    servers["pki"].start()
    return servers


def stop_servers(servers):
    for name in ("smtp", "ebill"):
        with contextlib.suppress(Exception):
            servers[name].__exit__(None, None, None)
    with contextlib.suppress(Exception):
        servers["pki"].close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("db", help="a fresh database")
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument(
        "--peer-sample", type=int, default=None, help="contracts of the peer path (default count/20, 20..200)"
    )
    parser.add_argument("--paper-batch", type=int, default=500, help="documents per paper print batch")
    parser.add_argument("--http-port", type=int, default=8102)
    parser.add_argument("--skip-install", action="store_true", help="the modules are already installed")
    parser.add_argument("--no-oca", action="store_true", help="no OCA contract: the peer is core posting + sending")
    parser.add_argument("--profile-archive", metavar="FILE", help="profile the archive job (cProfile) into FILE")
    parser.add_argument("--profile-send", metavar="FILE", help="profile the Send & Print stage (cProfile) into FILE")
    parser.add_argument("--profile-dispatch", metavar="FILE", help="profile the dispatch stage (cProfile) into FILE")
    parser.add_argument(
        "--cron-workers",
        type=int,
        default=0,
        help="run the month end on an Odoo server with this many cron workers (prefork processes) instead of "
        "triggering each scheduled action in this process; its log goes to the temporary directory's odoo.log",
    )
    args = parser.parse_args()
    PROFILE["archive"] = args.profile_archive
    PROFILE["send"] = args.profile_send
    PROFILE["dispatch"] = args.profile_dispatch
    sample = args.peer_sample or max(20, min(200, args.count // 20))

    sys.path.insert(0, str(ROOT / "bench"))
    from sysengage_contracts_billing import fetch_oca_contract

    with tempfile.TemporaryDirectory(prefix="sg_bench_me_") as tmp:
        addons_path = str(ROOT / "addons")
        modules = ["sysengage_contracts", "sysengage_einvoice", "sysengage_ged"]
        oca = not args.no_oca
        if oca:
            try:
                addons_path += "," + fetch_oca_contract(tmp)
                modules.append("contract")
            except Exception as error:  # the bench goes on without the OCA peer
                print(f"OCA contract NOT installable here ({error}): the peer is core posting + Send & Print")
                oca = False
        if not args.skip_install:
            install(args.db, modules, addons_path)
        odoo, registry = open_registry(args.db, addons_path)
        from odoo import fields

        servers = start_servers(args.db, args.http_port)
        try:
            with registry.cursor() as cr:
                env = _env(odoo, cr)
                today = fields.Date.context_today(env["res.partner"])
                data = setup_company(env, servers, args.http_port)
            probe = SpeedProbe()
            print(
                f"count={args.count} peer sample={sample} date={today} cores={os.cpu_count()} "
                f"load={os.getloadavg()[0]:.2f} (machine shared with other users); "
                f"machine speed probe {probe.before:.0f} ms",
                flush=True,
            )
            if args.cron_workers:
                server_log = os.path.join(tmp, "odoo.log")
                server_args = (args.db, addons_path, server_log)
                try:
                    wall, invoices = month_end_on_workers(
                        odoo,
                        registry,
                        data,
                        args.count,
                        today,
                        servers,
                        args.paper_batch,
                        args.cron_workers,
                        server_args,
                    )
                finally:
                    if os.path.exists(server_log):
                        with open(server_log, encoding="utf-8", errors="replace") as log:
                            errors = [line for line in log if " ERROR " in line or " CRITICAL " in line]
                        print(f"     Odoo server log: {len(errors)} error line(s)", *errors[:10], sep="\n")
            else:
                wall, invoices = month_end(odoo, registry, data, args.count, today, servers, args.paper_batch)
            peer_wall, peer_count = peer(odoo, registry, data, sample, today, servers) if oca else (None, 0)
        finally:
            stop_servers(servers)

    print("=" * 100)
    for stage in Stage.results:
        print(stage.line())
    print("=" * 100)
    rate = invoices / wall if wall else 0.0
    print(
        f"Sysengage month end: {invoices} invoices invoiced, posted, archived and dispatched in {wall:.1f} s "
        f"= {rate:.2f} invoices/s ({1000 * wall / max(invoices, 1):.0f} ms each); "
        f"10,000 would take {10000 / rate / 60 if rate else 0:.1f} min (target <= 30)"
    )
    if peer_wall and peer_count:
        peer_rate = peer_count / peer_wall
        print(
            f"peer (OCA contract + core post + core Send & Print e-mail): {peer_count} invoices in {peer_wall:.1f} s "
            f"= {peer_rate:.2f} invoices/s; ratio Sysengage/peer {rate / peer_rate:.1f}x (target >= 10x)"
        )
        print(
            "  note: in this database the peer's QR-bill page is drawn by sysengage_einvoice's override of "
            "the l10n_ch report (reportlab), not by a wkhtmltopdf run: the peer is faster than stock Odoo."
        )
    print(probe.report())
    own, children = _own_cpu()
    print(
        f"CPU time of this process {own:.0f} s, of its wkhtmltopdf runs {children:.0f} s; "
        f"peak RSS {peak_rss_mb():.0f} MB; load average now {os.getloadavg()}"
    )


if __name__ == "__main__":
    main()
