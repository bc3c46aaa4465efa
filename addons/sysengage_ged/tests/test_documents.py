import base64

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import PNG_1PX, SysengageGedCommon, make_pdf


@tagged("post_install", "-at_install")
class TestGedDocuments(SysengageGedCommon):
    def test_upload_versions_folder_and_preview(self):
        invoice = self._ged_invoice()
        first_raw = make_pdf("Offer v1")
        document = self._ged_document(invoice, first_raw, "offer.pdf")
        self.assertEqual(document.version, 1)
        self.assertEqual(document.mimetype, "application/pdf")
        self.assertTrue(document.is_pdf)
        self.assertTrue(document.preview_pdf)
        self.assertEqual(document.folder_id, self.env.ref("sysengage_ged.sysengage_ged_folder_invoices"))
        self.assertEqual(document.company_id, invoice.company_id)
        self.assertEqual(document.name, "offer.pdf")

        document.write({"file_name": "offer-signed.pdf", "datas": base64.b64encode(make_pdf("Offer v2"))})
        self.assertEqual(document.version, 2)
        versions = document.version_ids.sorted("version", reverse=True)
        self.assertEqual(versions.mapped("version"), [2, 1])
        self.assertEqual(versions.mapped("file_name"), ["offer-signed.pdf", "offer.pdf"])
        first = document.version_ids.filtered(lambda v: v.version == 1)
        self.assertEqual(first.checksum, self.env["ir.attachment"]._compute_checksum(first_raw))
        self.assertNotEqual(first.attachment_id, document.attachment_id)
        self.assertEqual(invoice.sysengage_ged_document_count, 1)

    def test_image_thumbnail(self):
        document = self._ged_document(self.customer, PNG_1PX, "site-photo.png")
        self.assertTrue(document.is_image)
        self.assertTrue(document.thumbnail)
        self.assertEqual(document.folder_id, self.env.ref("sysengage_ged.sysengage_ged_folder_partners"))
        self.assertEqual(self.customer.sysengage_ged_document_count, 1)

    def test_bad_files_refused_nothing_written(self):
        Document = self.env["sysengage.ged.document"]
        before = Document.search_count([])
        with self.assertRaisesRollback(UserError, "empty"):
            self._ged_document(self.customer, b"", "empty.pdf")
        with self.assertRaisesRollback(UserError, "does not match its name"):
            self._ged_document(self.customer, PNG_1PX, "invoice.pdf")
        with self.assertRaisesRollback(UserError, "does not match its name"):
            self._ged_document(self.customer, b"MZ\x90\x00" + b"\x00" * 200, "contract.docx")
        self.env.company.sysengage_ged_max_file_size = 1
        with self.assertRaisesRollback(UserError, "more than the 1 MB"):
            self._ged_document(self.customer, b"x" * (1024 * 1024 + 1), "big.txt")
        self.assertEqual(Document.search_count([]), before)
        self.assertFalse(
            self.env["sysengage.ged.document.version"].search([("file_name", "in", ["big.txt", "invoice.pdf"])])
        )

    def test_new_version_checked_too(self):
        document = self._ged_document(self.customer, b"first notes", "notes.txt")
        with self.assertRaisesRollback(UserError, "does not match its name"):
            document.write({"file_name": "notes.pdf", "datas": base64.b64encode(b"not a pdf at all")})
        self.assertEqual(document.version, 1)

    def test_annex_flag_only_on_pdf(self):
        document = self._ged_document(self.customer, b"some text", "memo.txt")
        with self.assertRaises(ValidationError):
            document.print_with_invoice = True

    def test_linkable_and_annex_models(self):
        Document = self.env["sysengage.ged.document"]
        # the kinds of records come from the registry: the models with the "Documents" smart button
        linkable = Document._get_linkable_models()
        self.assertTrue({"account.move", "res.partner"} <= set(linkable))
        self.assertNotIn("sysengage.ged.document", linkable)
        self.assertNotIn("sysengage.ged.record.mixin", linkable)
        self.assertEqual({key for key, _label in Document._selection_res_reference()}, set(linkable))
        self.assertTrue({"account.move", "res.partner"} <= set(Document._get_annex_models()))
        document = self._ged_document(self.customer, make_pdf("TERMS"), "terms.pdf")
        self.assertEqual(document.res_reference, self.customer)
        # a document of a record that is neither an invoice nor a customer is not printed with invoices
        folder_document = self._ged_document(self.env.company, make_pdf("X"), "x.pdf")
        with self.assertRaises(ValidationError):
            folder_document.print_with_invoice = True

    def test_search_names_and_tags(self):
        tag = self.env["sysengage.ged.tag"].create({"name": "Bauplan"})
        tagged_doc = self._ged_document(self.customer, b"plan", "ground-floor.txt", tag_ids=[tag.id])
        other = self._ged_document(self.customer, b"other", "minutes.txt")
        Document = self.env["sysengage.ged.document"]
        search_view_domain = [
            "|",
            "|",
            "|",
            ("name", "ilike", "bauplan"),
            ("file_name", "ilike", "bauplan"),
            ("tag_ids.name", "ilike", "bauplan"),
            ("description", "ilike", "bauplan"),
        ]
        self.assertEqual(Document.search(search_view_domain), tagged_doc)
        self.assertEqual(Document.search([("name", "ilike", "minutes")]), other)

    def test_import_chatter_attachments(self):
        invoice = self._ged_invoice()
        self.env["ir.attachment"].create(
            {
                "name": "delivery-note.pdf",
                "raw": make_pdf("Delivery"),
                "res_model": "account.move",
                "res_id": invoice.id,
            }
        )
        invoice.action_sysengage_ged_import_attachments()
        self.assertEqual(invoice.sysengage_ged_document_count, 1)
        with self.assertRaisesRollback(UserError, "already"):
            invoice.action_sysengage_ged_import_attachments()

    def test_smart_button_action(self):
        action = self.customer.action_sysengage_ged_documents()
        self.assertEqual(action["context"]["default_res_model"], "res.partner")
        self.assertEqual(action["context"]["default_res_id"], self.customer.id)
        self.assertIn(("res_id", "=", self.customer.id), action["domain"])
