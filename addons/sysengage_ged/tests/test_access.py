from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import SysengageGedCommon


@tagged("post_install", "-at_install")
class TestGedAccess(SysengageGedCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.setup_other_company(name="Sysengage Filiale Lugano")["company"]
        # a GED user of the main company without any invoicing right
        cls.ged_only = new_test_user(
            cls.env, login="ged_only", groups="base.group_user,sysengage_ged.group_user", company_id=cls.env.company.id
        )
        cls.invoice = cls._ged_invoice()

    def _rpc_like_reads(self, user):
        Document = self.env["sysengage.ged.document"].with_user(user)
        return {
            "search": Document.search([]).ids,
            "search_count": Document.search_count([]),
            "search_read": [r["id"] for r in Document.search_read([], ["name"])],
            "web_search_read": [r["id"] for r in Document.web_search_read([], {"name": {}})["records"]],
            "read_group": sum(count for _folder, count in Document._read_group([], ["folder_id"], ["__count"])),
        }

    def test_invoice_documents_follow_invoice_access(self):
        document = self._ged_document(self.invoice, b"signed delivery note", "delivery.txt")
        # the invoicing user reads the invoice, so its documents and their versions
        reads = self._rpc_like_reads(self.ged_user)
        self.assertIn(document.id, reads["search"])
        self.assertIn(document.id, reads["search_read"])
        self.assertEqual(document.with_user(self.ged_user).name, "delivery.txt")
        self.assertTrue(document.version_ids.with_user(self.ged_user).read(["file_name"]))
        # a GED user without access to invoices sees nothing, through any read path
        self.assertFalse(self.env["account.move"].with_user(self.ged_only).has_access("read"))
        reads = self._rpc_like_reads(self.ged_only)
        self.assertNotIn(document.id, reads["search"])
        self.assertNotIn(document.id, reads["search_read"])
        self.assertNotIn(document.id, reads["web_search_read"])
        self.assertEqual(reads["search_count"], len(reads["search"]))
        self.assertEqual(reads["read_group"], len(reads["search"]))
        with self.assertRaises(AccessError):
            document.with_user(self.ged_only).read(["name"])
        with self.assertRaises(AccessError):
            document.version_ids.with_user(self.ged_only).read(["file_name"])
        self.assertFalse(self.env["sysengage.ged.document.version"].with_user(self.ged_only).search([]))
        with self.assertRaises(AccessError):
            document.attachment_id.with_user(self.ged_only).read(["datas"])
        with self.assertRaises(AccessError):
            document.with_user(self.ged_only).write({"name": "stolen"})
        with self.assertRaises(AccessError):
            document.with_user(self.ged_only).unlink()
        with self.assertRaises(AccessError):
            self.env["sysengage.ged.document"].with_user(self.ged_only).create(
                {"res_model": "account.move", "res_id": self.invoice.id, "name": "intruder"}
            )

    def test_partner_documents_readable_by_partner_readers(self):
        document = self._ged_document(self.customer, b"site access code", "site.txt")
        self.assertIn(document, self.env["sysengage.ged.document"].with_user(self.ged_only).search([]))

    def test_other_company_record_hidden(self):
        partner = self.env["res.partner"].create({"name": "Lugano only", "company_id": self.other_company.id})
        document = self._ged_document(partner, b"branch paper", "branch.txt")
        self.assertEqual(document.company_id, self.other_company)
        self.assertNotIn(document, self.env["sysengage.ged.document"].with_user(self.ged_user).search([]))
        with self.assertRaises(AccessError):
            document.with_user(self.ged_user).read(["name"])

    def test_loose_documents_follow_model_rights(self):
        loose = self.env["sysengage.ged.document"].with_user(self.ged_only).create({"name": "Team list"})
        self.assertIn(loose, self.env["sysengage.ged.document"].with_user(self.ged_user).search([]))
