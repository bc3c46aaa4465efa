#!/usr/bin/env python3
"""Benchmark of the e-invoice channel files: time to generate N invoices' files per format.

Usage (from the repository root, on a database where sysengage_einvoice is installed)::

    python3 bench/sysengage_einvoice_channels.py sg_ei [--count 1000]

A Swiss company (l10n_ch chart, QR-IBAN) and ``--count`` posted invoices (two lines, 8.1 % and
2.6 % VAT) are created, then each format is generated for every invoice and timed:

* PDF with the QR-bill payment part: the unbatched way (one wkhtmltopdf run per invoice and one
  for its QR page) on the first ``--pdf-sample`` invoices, then the way the dispatch renders them
  (``ir.actions.report._sysengage_render_pdf_batch``: batches of 50 invoices per wkhtmltopdf run) on all;
  the other formats embed the PDF of their invoice,
* yellowbill 2.0 XML with the PDF appendix, validated against the XSD,
* cXML InvoiceDetailRequest,
* UBL (Peppol BIS 3) and CII (Factur-X) from Odoo's builders, validated against their XSD.

Everything is rolled back: nothing stays in the database. Figures are printed, never asserted.
"""

import argparse
import time
from pathlib import Path
from unittest.mock import patch

import odoo
from odoo.fields import Command
from odoo.modules.registry import Registry
from odoo.tools import config

QR_IBAN = "CH4431999123000889012"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument(
        "--pdf-sample",
        type=int,
        default=20,
        help="invoices rendered to PDF one wkhtmltopdf run each (the unbatched way, for comparison)",
    )
    parser.add_argument(
        "--pdf-batch-count", type=int, default=None, help="invoices rendered to PDF in batches (default: all)"
    )
    parser.add_argument(
        "--http-port",
        type=int,
        default=8399,
        help="port of the Odoo HTTP server started here, from which wkhtmltopdf loads the "
        "report styles and fonts as in production (0: none, unstyled PDFs)",
    )
    parser.add_argument("--config", default=str(Path(__file__).resolve().parent.parent / "odoo.conf"))
    return parser.parse_args()


def setup(env, count):
    # l10n_ch is installed already; the bench must not auto-install country modules (account_peppol
    # needs phonenumbers), so module installation is switched off while the company is created.
    module_class = type(env["ir.module.module"])
    with patch.object(module_class, "button_immediate_install", lambda self: None):
        return _setup(env, count)


def _setup(env, count):
    company = env["res.company"].create(
        {
            "name": "Bench Sysengage SA",
            "street": "Rue du Lac 12",
            "zip": "1003",
            "city": "Lausanne",
            "country_id": env.ref("base.ch").id,
            "currency_id": env.ref("base.CHF").id,
            "vat": "CHE-116.281.710 TVA",
            "phone": "+41 21 555 12 12",
            "email": "billing@bench.example.ch",
        }
    )
    env = env(context=dict(env.context, allowed_company_ids=company.ids))
    env["account.chart.template"].try_loading("ch", company, install_demo=False)
    bank = env["res.partner.bank"].create({"acc_number": QR_IBAN, "partner_id": company.partner_id.id})
    journal = env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
    journal.bank_account_id = bank
    taxes = {
        rate: env["account.tax"].search(
            [
                ("company_id", "=", company.id),
                ("type_tax_use", "=", "sale"),
                ("amount", "=", rate),
                ("amount_type", "=", "percent"),
                ("price_include", "=", False),
            ],
            limit=1,
        )
        for rate in (8.1, 2.6)
    }
    customer = env["res.partner"].create(
        {
            "name": "Muster AG",
            "is_company": True,
            "street": "Bahnhofstrasse 1",
            "zip": "8001",
            "city": "Zürich",
            "country_id": env.ref("base.ch").id,
            "vat": "CHE-109.322.551 MWST",
            "sysengage_ebill_recipient_id": "41105000000000001",
            "sysengage_ariba_network_id": "AN01000000001",
            "sysengage_ariba_endpoint": "https://ariba.example.ch/cxml",
            "sysengage_qr_swico": True,
        }
    )
    consulting, book = env["product.product"].create(
        [{"name": "Consulting", "type": "service", "default_code": "CONS"}, {"name": "Book", "type": "consu"}]
    )
    moves = env["account.move"].create(
        [
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "journal_id": journal.id,
                "invoice_date": "2026-11-20",
                "ref": f"PO-{index}",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": consulting.id,
                            "quantity": 2,
                            "price_unit": 150.0 + index % 7,
                            "tax_ids": [Command.set(taxes[8.1].ids)],
                        }
                    ),
                    Command.create(
                        {
                            "product_id": book.id,
                            "quantity": 1,
                            "price_unit": 40.0,
                            "tax_ids": [Command.set(taxes[2.6].ids)],
                        }
                    ),
                ],
            }
            for index in range(count)
        ]
    )
    moves.action_post()
    channels = {
        kind: env["sysengage.einvoice.channel"].create(
            {
                "name": kind,
                "channel_type": kind,
                "company_id": company.id,
                "ebill_biller_id": "41101000001021209",
                "ariba_sender_id": "AN02000000002",
                "ariba_shared_secret": "secret",
            }
        )
        for kind in ("ebill", "ariba")
    }
    return env, moves, channels


def _page_counts(pdfs):
    import io
    from collections import Counter

    from odoo.tools.pdf import OdooPdfFileReader

    counts = Counter(OdooPdfFileReader(io.BytesIO(pdf), strict=False).getNumPages() for pdf in pdfs.values())
    return ", ".join(f"{number} invoices with {pages} page(s)" for pages, number in sorted(counts.items()))


def _own_number(moves, pdfs):
    import io

    from odoo.tools.pdf import OdooPdfFileReader

    def first_page(pdf):
        return "".join(OdooPdfFileReader(io.BytesIO(pdf), strict=False).getPage(0).extract_text().split())

    return sum(move.name.replace(" ", "") in first_page(pdfs[move.id]) for move in moves)


def timed(label, count, func):
    start = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - start
    print(f"{label:<40} {count:>5} invoices {elapsed:8.2f} s  {elapsed / count * 1000:8.1f} ms/invoice")
    return result


def main():
    args = parse_args()
    config.parse_config(["-c", args.config, "-d", args.database, "--db-filter", f"^{args.database}$"])
    registry = Registry(args.database)
    if args.http_port:
        # the report styles and web fonts are fetched by wkhtmltopdf over HTTP, as in production
        from odoo.service.server import ThreadedServer

        config["http_port"] = args.http_port
        ThreadedServer(odoo.http.root).http_spawn()
    with registry.cursor() as cr:
        context = {"tracking_disable": True, "mail_create_nolog": True, "lang": "en_US"}
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, context)
        if args.http_port:
            env["ir.config_parameter"].set_param("report.url", f"http://127.0.0.1:{args.http_port}")
        print(f"PDFs {'with' if args.http_port else 'WITHOUT'} the report styles and web fonts")
        start = time.perf_counter()
        env, moves, channels = setup(env, args.count)
        print(f"setup: company, chart and {len(moves)} posted invoices in {time.perf_counter() - start:.1f} s")
        report = env["ir.actions.report"]
        invoice_report = env.ref("account.account_invoices")

        def render_one_by_one(moves):
            # the former way: one wkhtmltopdf run per invoice (plus one for its QR-bill page)
            return {move.id: report._render_qweb_pdf(invoice_report, move.ids)[0] for move in moves}

        sample = moves[: args.pdf_sample]
        timed("PDF with QR-bill, one run per invoice", len(sample), lambda: render_one_by_one(sample))
        # the product's way (dispatch batches): a few wkhtmltopdf runs for many invoices
        pdf_moves = moves if args.pdf_batch_count is None else moves[: args.pdf_batch_count]
        pdfs = timed(
            "PDF with QR-bill, batched",
            len(pdf_moves),
            lambda: report._sysengage_render_pdf_batch(invoice_report, pdf_moves.ids),
        )
        print(f"  PDF pages: {_page_counts(pdfs)}")
        if not args.http_port:  # (with the web fonts, wkhtmltopdf draws the text as shapes: nothing to read)
            print(f"  PDFs whose first page shows their own invoice number: {_own_number(pdf_moves, pdfs)}/{len(pdfs)}")
        sample_pdf = next(iter(pdfs.values()))
        documents = env["sysengage.einvoice.document"]
        ebill = channels["ebill"]
        from odoo.addons.sysengage_einvoice.tools.schemas import validation_errors as edi_errors
        from odoo.addons.sysengage_einvoice.tools.yellowbill import build_yellowbill, validation_errors

        def yellowbills():
            errors = 0
            for move in moves:
                data = ebill._yellowbill_data(
                    move, ebill.ebill_biller_id, "41105000000000001", pdfs.get(move.id, sample_pdf)
                )
                errors += bool(validation_errors(build_yellowbill(data)))
            return errors

        errors = timed("yellowbill 2.0 + PDF appendix + XSD", len(moves), yellowbills)
        print(f"  yellowbill documents failing the XSD: {errors}")
        timed("cXML InvoiceDetailRequest", len(moves), lambda: [channels["ariba"]._build_files(move) for move in moves])

        def edi(builder, kind):
            failing = 0
            for move in moves:
                xml, _errors = env[builder]._export_invoice(move)
                problems = edi_errors(xml, kind)
                if problems and not failing:
                    print(f"  first {kind} error: {problems[0]}")
                failing += bool(problems)
            return failing

        ubl = timed("UBL Peppol BIS 3 + XSD", len(moves), lambda: edi("account.edi.xml.ubl_bis3", "ubl"))
        print(f"  UBL failing the XSD: {ubl}")
        cii = timed("CII Factur-X + XSD", len(moves), lambda: edi("account.edi.xml.cii", "cii"))
        print(f"  CII failing the XSD: {cii}")
        del documents
        cr.rollback()


if __name__ == "__main__":
    main()
