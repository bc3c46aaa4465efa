#!/usr/bin/env python3
"""Benchmark: archiving posted invoices (hash, RFC 3161 timestamp, PAdES signature, chain) against
rendering the same invoice PDFs without archiving.

Usage (from the repository root, a server running on the database for wkhtmltopdf's assets):
    odoo -c odoo.conf -d sg_gd --http-port 8207 &
    python3 bench/sysengage_ged_archive.py sg_gd --count 1000 --report-url http://127.0.0.1:8207

Works in one transaction that is rolled back at the end (the database is left unchanged). A root CA,
a time-stamping authority and a company certificate are generated and the authority is served on
127.0.0.1 (certomancer), so the timestamps are real network round trips to a real RFC 3161 server.

Method: each invoice PDF is rendered once, on its own, exactly as the archive renders it
(``account.move._sysengage_ged_render_pdf``: invoice report + QR-bill + annexes) — that is the
baseline. The archive step is then timed on those same PDFs: PAdES signature, SHA-256, chain link,
RFC 3161 request and check, storage of the immutable record. Overhead = archive time / render time.
"""

import argparse
import base64
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument(
        "--report-url",
        help="URL of a running Odoo server on this database (e.g. http://127.0.0.1:8207), so that "
        "wkhtmltopdf loads the report assets as in production",
    )
    args = parser.parse_args()

    import odoo
    from odoo.fields import Command
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config(
        ["-c", os.path.join(ROOT, "odoo.conf"), "-d", args.database, "--db-filter", "^%s$" % args.database,
         "--log-level", "warn"]
    )
    registry = Registry(args.database)

    from odoo.addons.sysengage_ged.tools.testing_pki import LoopbackPKI

    pki = LoopbackPKI()
    pki.start()
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        company = env.company
        if args.report_url:
            env["ir.config_parameter"].set_param("report.url", args.report_url)
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
                        Command.create({"name": "Wartung Heizung %s" % i, "quantity": 1 + i % 3, "price_unit": 95.0}),
                        Command.create({"name": "Material", "quantity": 2, "price_unit": 41.5}),
                    ],
                }
                for i in range(args.count)
            ]
        )
        moves.action_post()  # archiving is off here: posting is not part of either measure
        company.sysengage_ged_archive_enabled = True
        env.flush_all()

        start = time.perf_counter()
        pdfs = {}
        for move in moves:
            pdfs.update(move._sysengage_ged_render_pdf())
        render_time = time.perf_counter() - start

        start = time.perf_counter()
        for move in moves:
            move._sysengage_ged_archive("post", pdf_by_move={move.id: pdfs[move.id]})
        env.flush_all()
        archive_time = time.perf_counter() - start

        archives = env["sysengage.ged.archive"].search([("move_id", "in", moves.ids)])
        timestamped = len(archives.filtered(lambda a: a.state == "timestamped"))
        signed = len(archives.filtered("signed"))
        cr.rollback()
    pki.close()

    count = len(moves)
    print("invoices: %d (archives: %d, signed: %d, timestamped: %d)" % (count, len(archives), signed, timestamped))
    print("render PDFs only : %8.2f s  (%.1f ms/invoice)" % (render_time, 1000 * render_time / count))
    print("archive step     : %8.2f s  (%.1f ms/invoice: sign + hash + chain + RFC 3161 + store)"
          % (archive_time, 1000 * archive_time / count))
    print("render + archive : %8.2f s" % (render_time + archive_time))
    print("overhead         : %8.1f %%  (target < 25 %%)" % (100 * archive_time / render_time))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, ROOT)
    sys.exit(main())
