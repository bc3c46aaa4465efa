import base64
import hashlib
import io
from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools.pdf import OdooPdfFileReader

from odoo.addons.base.models.ir_actions_report import IrActionsReport as BaseIrActionsReport
from odoo.addons.base.models.ir_actions_report import _wkhtml
from odoo.addons.sysengage_ged.tests.common import SysengageGedCommon


@tagged("post_install", "-at_install")
class TestGedArchiveBatch(SysengageGedCommon):
    """The archive job renders the invoices of a batch in one wkhtmltopdf run where the suite has a batch renderer
    (sysengage_einvoice cuts the run back per invoice), on any wkhtmltopdf; else one run per invoice there."""

    def setUp(self):
        super().setUp()
        self.enterContext(self.allow_pdf_render())
        self.env.company.sysengage_ged_archive_enabled = True

    def test_archive_job_renders_its_invoices_in_batches(self):
        invoices = [self._ged_invoice(post=True, archive=False) for _index in range(3)]
        runs = []
        original = BaseIrActionsReport._run_wkhtmltopdf

        def counting(report, bodies, *args, **kwargs):
            runs.append(len(bodies))
            return original(report, bodies, *args, **kwargs)

        with patch.object(BaseIrActionsReport, "_run_wkhtmltopdf", counting):
            self._ged_run_archive_job()
        batched = self.env["ir.actions.report"]._sysengage_renders_batches() or _wkhtml().is_patched_qt
        # one wkhtmltopdf run for the three (their bodies merged into one document where wkhtmltopdf is unpatched)
        self.assertEqual(len(runs), 1 if batched else 3)
        # each invoice has its own archive, its own PDF cut from the run
        archives = self.env["sysengage.ged.archive"].search(
            [("move_id", "in", [invoice.id for invoice in invoices]), ("mimetype", "=", "application/pdf")]
        )
        self.assertEqual(len(archives), 3)
        self.assertEqual(set(archives.move_id.ids), {invoice.id for invoice in invoices})
        digests = set()
        for archive in archives:
            raw = base64.b64decode(archive.datas)
            self.assertTrue(raw.startswith(b"%PDF"))
            self.assertGreaterEqual(OdooPdfFileReader(io.BytesIO(raw), strict=False).getNumPages(), 1)
            digests.add(hashlib.sha256(raw).hexdigest())
        self.assertEqual(len(digests), 3, "three different PDFs, one per invoice")
