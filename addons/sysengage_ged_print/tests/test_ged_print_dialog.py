import base64
import io

from odoo.exceptions import UserError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger
from odoo.tools.pdf import PdfFileReader

from odoo.addons.sysengage_base.tests.print_common import FakeCupsMixin
from odoo.addons.sysengage_ged.tests.common import PNG_1PX, SysengageGedCommon, make_pdf


@tagged("post_install", "-at_install")
class TestGedPrintDialog(SysengageGedCommon, FakeCupsMixin):
    """A GED document prints its current PDF file through the print dialog of sysengage_base."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.email = "info@mueller-haustechnik.example.ch"

    def _dialog(self, documents, **vals):
        action = self.env.ref("sysengage_ged_print.sysengage_print_wizard_action_ged_document")
        context = {"active_model": documents._name, "active_ids": documents.ids, "active_id": documents[:1].id}
        form = Form(self.env[action.res_model].with_context(**context))
        for name, value in vals.items():
            setattr(form, name, value)
        return form.save()

    def test_print_dialog_in_the_print_menu_of_documents(self):
        bindings = self.env["ir.actions.actions"].get_bindings("sysengage.ged.document")["report"]
        self.assertIn(
            self.env.ref("sysengage_ged_print.sysengage_print_wizard_action_ged_document").id,
            [item["id"] for item in bindings],
        )

    def test_current_version_printed_in_copies(self):
        document = self._ged_document(self.customer, make_pdf("Offer v1"), "plan.pdf")
        document.write({"datas": base64.b64encode(make_pdf("Plan v2")), "file_name": "plan.pdf"})
        self.assertEqual(document.version_count, 2)
        self._install_fake_lp()
        wizard = self._dialog(document, mode="printer", printer_name="Office_Laser", copies=3)
        self.assertEqual(wizard.print_source, "file")
        self.assertFalse(wizard.report_id, "a stored PDF, no report")
        wizard.action_print()
        args, content = self._printed()
        self.assertEqual(args[:4], ["-d", "Office_Laser", "-n", "3"])
        self.assertEqual(content, document.attachment_id.raw, "the current version, byte for byte")
        first_version = document.version_ids.filtered(lambda version: version.attachment_id != document.attachment_id)
        self.assertNotEqual(content, first_version.attachment_id.raw, "not the older version")

    def test_non_pdf_refused(self):
        image = self._ged_document(self.customer, PNG_1PX, "photo.png")
        for mode in ("printer", "browser", "download", "email"):
            with self.subTest(mode=mode), self.assertRaisesRegex(UserError, "Only PDF files can be printed"):
                vals = {"printer_name": "Office_Laser"} if mode == "printer" else {}
                self._dialog(image, mode=mode, **vals).action_print()

    def test_download_and_browser_urls(self):
        first = self._ged_document(self.customer, make_pdf("One"), "one.pdf")
        second = self._ged_document(self.customer, make_pdf("Two"), "two.pdf")
        documents = first | second
        action = self._dialog(documents, mode="browser").action_print()
        self.assertEqual((action["type"], action["target"]), ("ir.actions.act_url", "new"))
        self.assertEqual(action["url"], f"/sysengage/print/file/sysengage.ged.document/{first.id},{second.id}")
        action = self._dialog(documents, mode="download").action_print()
        self.assertTrue(action["url"].endswith("?download=1"))
        name, content = documents._sysengage_print_files_pdf()
        self.assertEqual(name, "2 documents.pdf")
        self.assertEqual(len(PdfFileReader(io.BytesIO(content)).pages), 2, "both files, one after the other")

    def test_sent_by_email_to_the_customer(self):
        document = self._ged_document(self.customer, make_pdf("Signed contract"), "signed.pdf")
        action = self._dialog(document, mode="email").action_print()
        composer = self.env["mail.compose.message"].browse(action["res_id"])
        self.assertEqual(composer.partner_ids, self.customer)
        self.assertEqual(composer.attachment_ids.name, "signed.pdf")
        self.assertEqual(composer.attachment_ids.raw, document.attachment_id.raw)
        with mute_logger("odoo.addons.mail.models.mail_mail"):
            composer.action_send_mail()
        mail = self.env["mail.mail"].search([("recipient_ids", "in", self.customer.ids)], order="id desc", limit=1)
        self.assertEqual(mail.attachment_ids.name, "signed.pdf")
