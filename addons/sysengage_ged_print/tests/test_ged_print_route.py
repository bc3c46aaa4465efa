import base64

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.sysengage_ged.tests.common import PNG_1PX, make_pdf


@tagged("post_install", "-at_install")
class TestGedPrintRoute(HttpCase):
    """The browser-side print of a GED document (``/sysengage/print/file``), with the rights of the user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoicer = new_test_user(
            cls.env, login="sg_ged_print_invoicer", groups="account.group_account_invoice,sysengage_ged.group_user"
        )
        # a documents user without access to invoices: the invoice's documents are not his to read
        cls.clerk = new_test_user(cls.env, login="sg_ged_print_clerk", groups="sysengage_ged.group_user")
        partner = cls.env["res.partner"].create({"name": "Route Print AG"})
        invoice = cls.env["account.move"].create({"move_type": "out_invoice", "partner_id": partner.id})
        cls.pdf = make_pdf("Delivery note 4711")
        Document = cls.env["sysengage.ged.document"]
        cls.document = Document.create(
            {
                "res_model": "account.move",
                "res_id": invoice.id,
                "file_name": "delivery-note.pdf",
                "datas": base64.b64encode(cls.pdf),
            }
        )
        cls.image = Document.create(
            {
                "res_model": "account.move",
                "res_id": invoice.id,
                "file_name": "photo.png",
                "datas": base64.b64encode(PNG_1PX),
            }
        )

    def _get(self, user, document, query=""):
        self.authenticate(user.login, user.login)
        return self.url_open(f"/sysengage/print/file/sysengage.ged.document/{document.id}{query}")

    def test_user_who_can_read_gets_the_pdf(self):
        response = self._get(self.invoicer, self.document)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertTrue(response.headers["Content-Disposition"].startswith("inline"))
        self.assertEqual(response.content, self.pdf)
        response = self._get(self.invoicer, self.document, "?download=1")
        self.assertTrue(response.headers["Content-Disposition"].startswith("attachment"))

    def test_user_who_cannot_read_is_refused(self):
        with mute_logger("odoo.http"):
            response = self._get(self.clerk, self.document)
        self.assertEqual(response.status_code, 403)
        self.assertNotIn(b"Delivery note", response.content)

    def test_not_a_pdf_or_not_printable(self):
        with mute_logger("odoo.http"):
            response = self._get(self.invoicer, self.image)
            self.assertEqual(response.status_code, 400)
            self.assertIn(b"Only PDF files can be printed", response.content)
            # a model that is no stored-file printable is not served by this route
            self.authenticate(self.invoicer.login, self.invoicer.login)
            response = self.url_open(f"/sysengage/print/file/res.partner/{self.invoicer.partner_id.id}")
            self.assertEqual(response.status_code, 404)
