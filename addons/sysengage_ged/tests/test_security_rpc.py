"""Adversarial tests through a running server (XML-RPC), as low-privileged users of two companies."""

import base64

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import SQL

from odoo.addons.sysengage_base.tests.common import SysengageRpcMixin

from .common import SysengageGedCommon, make_pdf


@tagged("post_install", "-at_install")
class TestGedSecurityRpc(SysengageRpcMixin, SysengageGedCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.setup_other_company(name="Rivale SA")["company"]
        cls.company_a.sysengage_ged_archive_enabled = True
        # may edit customers and documents, nothing else
        cls.editor_a = new_test_user(
            cls.env,
            login="ged_rpc_editor_a",
            groups="base.group_user,base.group_partner_manager,sysengage_ged.group_user",
            company_id=cls.company_a.id,
            company_ids=cls.company_a.ids,
        )
        cls.billing_a = new_test_user(
            cls.env,
            login="ged_rpc_billing_a",
            groups="base.group_user,account.group_account_invoice",
            company_id=cls.company_a.id,
            company_ids=cls.company_a.ids,
        )
        # a confidential PDF of the other company, unreadable by the users of company A
        customer_b = cls.env["res.partner"].create({"name": "Client B", "company_id": cls.company_b.id})
        invoice_b = cls.env["account.move"].create(
            {"move_type": "out_invoice", "partner_id": customer_b.id, "company_id": cls.company_b.id}
        )
        cls.secret = cls.env["ir.attachment"].create(
            {
                "name": "salaries.pdf",
                "raw": make_pdf("SECRET-OF-COMPANY-B"),
                "res_model": "account.move",
                "res_id": invoice_b.id,
            }
        )

    def test_annex_cannot_point_to_another_file(self):
        self.assertFalse(self.secret.with_user(self.editor_a).has_access("read"))
        forged = {
            "name": "New bank details",
            "res_model": "res.partner",
            "res_id": self.customer.id,
            "attachment_id": self.secret.id,
            "mimetype": "application/pdf",
            "print_with_invoice": True,
        }
        self._assert_refused("uploading a new file", self.editor_a, "sysengage.ged.document", "create", [forged])
        # an honest upload, then the same swap by a write
        document_id = self._rpc(
            self.editor_a,
            "sysengage.ged.document",
            "create",
            [
                {
                    "res_model": "res.partner",
                    "res_id": self.customer.id,
                    "file_name": "conditions.pdf",
                    "datas": base64.b64encode(make_pdf("OUR-CONDITIONS")).decode(),
                    "print_with_invoice": True,
                }
            ],
        )[0]
        self._assert_refused(
            "uploading a new file",
            self.editor_a,
            "sysengage.ged.document",
            "write",
            [document_id],
            {"attachment_id": self.secret.id},
        )
        # a version pointing at the file would expose it through its (related) content
        self._assert_refused(
            "uploading a new file",
            self.editor_a,
            "sysengage.ged.document.version",
            "create",
            [{"document_id": document_id, "version": 9, "attachment_id": self.secret.id}],
        )
        document = self.env["sysengage.ged.document"].browse(document_id)
        self.assertEqual(document.attachment_id.res_model, "sysengage.ged.document")
        invoice = self._ged_invoice()
        self.assertEqual(self.env["sysengage.ged.document"]._ged_annexes(invoice), document)

    def test_annex_of_foreign_file_never_printed(self):
        """A row swapped behind the ORM (data from before the fix) is left out of the invoice."""
        invoice = self._ged_invoice()
        document = self._ged_document(self.customer, make_pdf("OUR-CONDITIONS"), "c.pdf", print_with_invoice=True)
        self.env.flush_all()
        self.env.cr.execute(
            SQL("UPDATE sysengage_ged_document SET attachment_id = %s WHERE id = %s", self.secret.id, document.id)
        )
        self.env.invalidate_all()
        self.assertFalse(self.env["sysengage.ged.document"]._ged_annexes(invoice))

    def test_state_write_cannot_post_an_invoice(self):
        invoice = self._ged_invoice()
        self.assertEqual(invoice.state, "draft")
        self._assert_refused(
            "use the Confirm button", self.billing_a, "account.move", "write", invoice.ids, {"state": "posted"}
        )
        invoice.invalidate_recordset()
        self.assertEqual(invoice.state, "draft")
        self.assertFalse(invoice.sysengage_ged_archive_ids)
        # nor by creating or copying a posted invoice
        self._assert_refused(
            "posted state",
            self.billing_a,
            "account.move",
            "copy",
            invoice.ids,
            default={"state": "posted"},
        )

    def test_archive_queue_out_of_reach_over_rpc(self):
        invoice = self._ged_invoice(post=True, archive=False)
        row = self.env["sysengage.ged.archive.queue"].search([("move_id", "=", invoice.id)])
        self.assertTrue(row, "posting queued the archive")
        # the billing user sees the status of his invoice, not the queue
        [values] = self._rpc(self.billing_a, "account.move", "read", invoice.ids, ["sysengage_ged_archive_pending"])
        self.assertTrue(values["sysengage_ged_archive_pending"])
        for method, args, message in (
            ("search_read", [[]], "not allowed"),
            ("unlink", [row.ids], "not allowed"),
            ("write", [row.ids, {"error": "done"}], "archive job only"),
            ("create", [[{"company_id": self.company_a.id, "move_id": invoice.id}]], "posted only"),
        ):
            self._assert_refused(message, self.billing_a, "sysengage.ged.archive.queue", method, *args)
        self._assert_refused(
            "archive job only",
            self.billing_a,
            "sysengage.ged.archive.timestamp",
            "create",
            [{"company_id": self.company_a.id, "sequence": 1, "chain_hash": "0" * 64}],
        )
        self.assertTrue(row.exists(), "the row waits for the archive job")
