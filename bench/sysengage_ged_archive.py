#!/usr/bin/env python3
"""Benchmark: archiving posted invoices through the archive queue and job (batched rendering, PAdES
signature, chain, one RFC 3161 timestamp per batch) against rendering the same invoice PDFs alone.

Usage (from the repository root, on a database where sysengage_ged is installed)::

    python3 bench/sysengage_ged_archive.py sg_gd --count 1000

An Odoo HTTP server on this database is started in the process (``--http-port``, default 8112), from
which wkhtmltopdf loads the report styles and fonts as in production (``report.url`` points to it).

Works in one transaction that is rolled back at the end (the database is left unchanged). A root CA,
a time-stamping authority and a company certificate are generated and the authority is served on
127.0.0.1 (certomancer), so the timestamps are real network round trips to a real RFC 3161 server.

Method: the invoices are posted with archiving on (posting only queues them: its time is reported
per invoice), then the archive job (``sysengage.ged.archive._cron_ged_archive_pending``,
the scheduled action users run) archives them in batches of ``--batch-size``: batched rendering,
signature, chain, one authority call per batch over the chain head. Its batch commits are kept in
the benchmark's transaction (rolled back at the end). The baseline renders the same invoices' PDFs
in the same batches without archiving; overhead = (archive job - rendering) / rendering.
"""

import argparse
import base64
import cProfile
import os
import sys
import time
from unittest.mock import patch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--batch-size", type=int, default=50, help="invoices per archive batch (default 50)")
    parser.add_argument(
        "--http-port",
        type=int,
        default=8112,
        help="port of the Odoo HTTP server started here, from which wkhtmltopdf loads the report assets",
    )
    parser.add_argument("--profile", metavar="FILE", help="profile the archive job with cProfile into FILE")
    args = parser.parse_args()

    import odoo
    from odoo.fields import Command
    from odoo.modules.registry import Registry
    from odoo.tools import config, split_every

    config.parse_config(
        [
            "-c",
            os.path.join(ROOT, "odoo.conf"),
            "-d",
            args.database,
            "--db-filter",
            f"^{args.database}$",
            "--log-level",
            "warn",
        ]
    )
    registry = Registry(args.database)
    # wkhtmltopdf loads the report styles from this process' HTTP server, which must serve this
    # database (the configuration's dbfilter names another one; a server started apart on the
    # database with it answered every asset with a 404, so each PDF was refused as unstyled)
    from odoo.service.server import ThreadedServer

    config["http_port"] = args.http_port
    ThreadedServer(odoo.http.root).http_spawn()

    from odoo.addons.sysengage_ged.tests.testing_pki import LoopbackPKI
    from odoo.addons.sysengage_ged.tools import rfc3161

    pki = LoopbackPKI()
    pki.start()
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        company = env.company
        env["ir.config_parameter"].set_param("report.url", f"http://127.0.0.1:{args.http_port}")
        company.write(
            {
                "sysengage_ged_archive_enabled": False,
                "sysengage_ged_tsa_url": pki.tsa_url,
                "sysengage_ged_cert_file": base64.b64encode(pki.signer_pkcs12("bench")),
                "sysengage_ged_cert_password": "bench",
            }
        )
        partner = env["res.partner"].create({"name": "Bench Kunde AG", "is_company": True})
        moves = env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_line_ids": [
                        Command.create({"name": f"Wartung Heizung {i}", "quantity": 1 + i % 3, "price_unit": 95.0}),
                        Command.create({"name": "Material", "quantity": 2, "price_unit": 41.5}),
                    ],
                }
                for i in range(args.count)
            ]
        )
        company.sysengage_ged_archive_enabled = True
        env.flush_all()

        start = time.perf_counter()
        moves.action_post()  # queues the archives: no rendering, no chain lock, no authority call
        env.flush_all()
        post_time = time.perf_counter() - start
        queued = env["sysengage.ged.archive.queue"].search_count([("move_id", "in", moves.ids)])

        start = time.perf_counter()
        for batch in split_every(args.batch_size, moves.ids, list):
            env["account.move"].browse(batch)._sysengage_ged_render_pdf()
        render_time = time.perf_counter() - start

        authority_calls = []
        request_timestamp = rfc3161.request_timestamp

        def counting_request(*call_args, **call_kwargs):
            authority_calls.append(call_args)
            return request_timestamp(*call_args, **call_kwargs)

        def no_commit(self, processed=0, *, remaining=None, deactivate=False):
            self.env.flush_all()  # kept in this transaction, rolled back at the end
            return float("inf")

        profiler = cProfile.Profile() if args.profile else None
        start = time.perf_counter()
        with (
            patch.object(rfc3161, "request_timestamp", counting_request),
            patch.object(type(env["ir.cron"]), "_commit_progress", no_commit),
        ):
            if profiler:
                profiler.enable()
            env["sysengage.ged.archive"]._cron_ged_archive_pending(batch_size=args.batch_size)
            env.flush_all()
            if profiler:
                profiler.disable()
                profiler.dump_stats(args.profile)
        archive_time = time.perf_counter() - start

        archives = env["sysengage.ged.archive"].search([("move_id", "in", moves.ids)])
        timestamped = len(archives.filtered(lambda a: a.state == "timestamped"))
        signed = len(archives.filtered("signed"))
        stamps = len(archives.timestamp_id)
        cr.rollback()
    pki.close()

    count = len(moves)
    batches = -(-count // args.batch_size)
    print(
        f"invoices: {count} (queued at posting: {queued}; archives: {len(archives)}, signed: {signed}, "
        f"timestamped: {timestamped})"
    )
    print(f"posting (queue only)   : {post_time:8.2f} s  ({1000 * post_time / count:.1f} ms/invoice)")
    print(
        f"render PDFs only       : {render_time:8.2f} s  ({1000 * render_time / count:.1f} ms/invoice, "
        f"batches of {args.batch_size})"
    )
    print(
        f"archive job            : {archive_time:8.2f} s  ({1000 * archive_time / count:.1f} ms/invoice, "
        f"{count / archive_time:.1f} invoices/s: render + sign + chain + stamp)"
    )
    print(
        f"authority calls        : {len(authority_calls):8d}     ({batches} batches: "
        f"{len(authority_calls) / batches:.2f} per batch, {stamps} batch timestamps)"
    )
    print(f"overhead over rendering: {100 * (archive_time - render_time) / render_time:8.1f} %  (target < 25 %)")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, ROOT)
    sys.exit(main())
