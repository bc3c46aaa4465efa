"""A client cannot force nor omit the QR-bill payment part of a print, nor hide the print, nor add
billing information to a QR-bill.

Through the report routes a client sends any ``context`` and ``options`` (the report data): the
payment part still follows the invoice, the print profile and the customer, and the download is
recorded. ``force_report_rendering`` (core) has the routes render real PDFs in the tests.
"""

import io
import json
from urllib.parse import urlencode

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger
from odoo.tools.pdf import PdfFileReader

from .common import EinvoiceCommon
from .test_qr_bill import spy_qr_payloads

PDF_TIMEOUT = 180  # seconds: wkhtmltopdf on a shared, busy machine
FORCE = {"sysengage_force_payment_part": True, "sysengage_options": {"force_payment_part": True}}
OMIT = {"sysengage_profile_payment_part": "without", "sysengage_options": {"print_profile_id": 0}}


@tagged("post_install", "-at_install")
class TestPaymentPartForged(EinvoiceCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.report = cls.env.ref("account.account_invoices")
        cls.clerk = cls._create_user("sg_qr_forged_clerk", "account.group_account_invoice")

    def _url(self, move):
        return f"/report/pdf/{self.report.report_name}/{move.id}"

    def _get(self, url):
        # the report routes are read-only: core saves the first PDF of a posted invoice on it, which Odoo
        # retries on a read/write cursor after logging the refused UPDATE (without sysengage_ged, whose
        # archive is the print, this happens here)
        with mute_logger("odoo.sql_db"):
            return self.url_open(url, timeout=PDF_TIMEOUT)

    def _pages(self, response):
        self.assertEqual(response.status_code, 200)
        return PdfFileReader(io.BytesIO(response.content), strict=False).getNumPages()

    def _download(self, move, forged):
        self.env.flush_all()
        self.authenticate(self.clerk.login, self.clerk.login)
        context = {"force_report_rendering": True, **forged}
        query = urlencode({"data": json.dumps([self._url(move), "qweb-pdf"]), "context": json.dumps(context)})
        return self._pages(self._get(f"/report/download?{query}"))

    def _open(self, move, forged):
        self.env.flush_all()
        self.authenticate(self.clerk.login, self.clerk.login)
        context = {"force_report_rendering": True, **forged}
        query = urlencode({"context": json.dumps(context), "options": json.dumps(forged)})
        return self._pages(self._get(f"{self._url(move)}?{query}"))

    def _downloads(self, move):
        return (
            self.env["sysengage.event"]
            .sudo()
            .search_count(
                [("res_model", "=", "account.move"), ("res_id", "=", move.id), ("event_type", "=", "download")]
            )
        )

    def test_payment_part_not_forced(self):
        move = self._post_invoice(sysengage_qr_payment_part="without")
        self.assertEqual(self._download(move, FORCE), 1, "no payment part on an invoice printed without one")
        self.assertEqual(self._downloads(move), 1, "the download is recorded")
        self.assertEqual(self._open(move, FORCE), 1)

    def test_payment_part_not_omitted(self):
        move = self._post_invoice()
        self.assertEqual(self._download(move, OMIT), 2, "l10n_ch prints the QR-bill on its own last page")
        self.assertEqual(self._downloads(move), 1, "the download is recorded")
        self.assertEqual(self._open(move, OMIT), 2)

    def test_billing_information_not_forged(self):
        move = self._post_invoice()  # the customer asked for no Swico billing information
        self.env.flush_all()
        self.authenticate(self.clerk.login, self.clerk.login)
        forged = {"sysengage_qr_billing_information": "//S1/10/FORGED-4711"}
        query = urlencode({"context": json.dumps(forged)})
        with spy_qr_payloads() as payloads:
            response = self.url_open(f"/report/html/l10n_ch.qr_report_main/{move.id}?{query}")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(payloads, "the QR-bill payload was built")
        self.assertNotIn("//S1/10/FORGED-4711", payloads[-1])
        self.assertEqual(payloads[-1][-1], "EPD", "the payload ends as the customer asked: no billing information")
