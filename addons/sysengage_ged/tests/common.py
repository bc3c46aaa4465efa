import base64
import io
from contextlib import contextmanager
from unittest.mock import patch

from reportlab.pdfgen import canvas

from odoo import Command
from odoo.tests import new_test_user
from odoo.tools import SQL

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from .testing_pki import LoopbackPKI

PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def _no_commit(self, processed=0, *, remaining=None, deactivate=False):
    return float("inf")


def run_archive_job(env):
    """Run the GED archive job now, in the test's transaction and thread (as the cron would, a few
    seconds after posting), without its batch commits."""
    with patch.object(type(env["ir.cron"]), "_commit_progress", _no_commit):
        env["sysengage.ged.archive"]._cron_ged_archive_pending()
    env.invalidate_all()


def make_pdf(*pages):
    """A small real PDF with one page per text given."""
    buffer = io.BytesIO()
    document = canvas.Canvas(buffer)
    for text in pages:
        document.drawString(100, 700, text)
        document.showPage()
    document.save()
    return buffer.getvalue()


class SysengageGedCommon(AccountTestInvoicingCommon):
    """Company with invoicing, GED users and (optionally) a loopback PKI (root CA, TSA, signer).

    sysengage_ged depends on account only, so this base composes Odoo's accounting test base
    rather than sysengage_base's (which this addon must not require).
    """

    with_pki = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the accounting test user also manages documents (and configures the archive)
        cls.env.user.group_ids += cls.env.ref("sysengage_ged.group_manager")
        cls.ged_user = new_test_user(
            cls.env,
            login="ged_invoicer",
            groups="base.group_user,account.group_account_invoice,sysengage_ged.group_user",
            company_id=cls.env.company.id,
        )
        cls.ged_manager = new_test_user(
            cls.env,
            login="ged_manager",
            groups="base.group_user,account.group_account_manager,sysengage_ged.group_manager",
            company_id=cls.env.company.id,
        )
        cls.customer = cls.env["res.partner"].create({"name": "Müller Haustechnik AG", "is_company": True})
        if cls.with_pki:
            cls.pki = LoopbackPKI()
            cls.pki.start()
            cls.addClassCleanup(cls.pki.close)
            cls.env.company.sudo().write(
                {
                    "sysengage_ged_archive_enabled": True,
                    "sysengage_ged_tsa_url": cls.pki.tsa_url,
                    "sysengage_ged_tsa_ca_cert": base64.b64encode(cls.pki.root_pem()),
                    "sysengage_ged_cert_file": base64.b64encode(cls.pki.signer_pkcs12("Archiv-2026")),
                    "sysengage_ged_cert_password": "Archiv-2026",
                }
            )

    @contextmanager
    def assertRaisesRollback(self, exception, regex):
        """assertRaises (rolls the failed operation back, like a request) plus a message check."""
        with self.assertRaises(exception) as catcher:
            yield catcher
        self.assertRegex(str(catcher.exception), regex)

    def _tamper(self, query, table="sysengage_ged_archive", trigger="sysengage_ged_archive_guard"):
        """Change rows behind the ORM's back, their guard trigger disabled, as a database owner could."""
        self.env.flush_all()
        self.env.cr.execute(SQL("ALTER TABLE %s DISABLE TRIGGER %s", SQL.identifier(table), SQL.identifier(trigger)))
        self.env.cr.execute(query)
        self.env.cr.execute(SQL("ALTER TABLE %s ENABLE TRIGGER %s", SQL.identifier(table), SQL.identifier(trigger)))
        self.env.invalidate_all()

    @classmethod
    def _ged_invoice(cls, post=False, archive=True, **kwargs):
        """An invoice; posted when ``post``, and then archived by the archive job unless not ``archive``."""
        invoice = cls._create_invoice(
            partner_id=cls.customer.id,
            invoice_line_ids=[Command.create({"name": "Service", "quantity": 1, "price_unit": 120.0, "tax_ids": []})],
            post=post,
            **kwargs,
        )
        if post and archive:
            cls._ged_run_archive_job()
        return invoice

    @classmethod
    def _ged_run_archive_job(cls):
        """Run the archive job in the test transaction: its batch commits (``_commit_progress``) are
        left out, the test is rolled back as a whole (sysengage_ged_contracts tests the commits)."""
        run_archive_job(cls.env)

    def _ged_document(self, record, raw, file_name, **vals):
        Document = self.env["sysengage.ged.document"]
        return Document.create(
            {
                "res_model": record._name,
                "res_id": record.id,
                "file_name": file_name,
                "datas": base64.b64encode(raw),
                **vals,
            }
        )
