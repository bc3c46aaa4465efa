import base64

import psycopg2

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from .common import SysengageGedCommon


@tagged("post_install", "-at_install")
class TestGedArchiveIntegrity(SysengageGedCommon):
    with_pki = True

    def setUp(self):
        super().setUp()
        # posting archives a real PDF: wkhtmltopdf fetches the report assets from the test server on the
        # test cursor, which needs a running test (not setUpClass)
        self.enterContext(self.allow_pdf_render())
        self.invoices = self._ged_invoice(post=True) | self._ged_invoice(post=True) | self._ged_invoice(post=True)
        self.archives = self.invoices.sysengage_ged_archive_ids.sorted("sequence")

    def _errors(self, archive):
        return [msg for level, msg in archive._ged_verify()[archive] if level == "error"]

    def test_no_write_no_unlink_for_anyone(self):
        archive = self.archives[0]
        for env in (self.env(user=self.ged_manager), self.env(user=self.env.ref("base.user_admin")), self.env(su=True)):
            with self.assertRaises(UserError):
                archive.with_env(env).write({"sha256": "0" * 64})
            with self.assertRaises(UserError):
                archive.with_env(env).unlink()
        with self.assertRaisesRollback(UserError, "created by posting"):
            self.env["sysengage.ged.archive"].sudo().create(
                {
                    "name": "forged",
                    "company_id": self.env.company.id,
                    "move_id": self.invoices[0].id,
                    "version": 9,
                    "trigger": "post",
                    "kind": "pdf",
                }
            )
        with self.assertRaisesRollback(UserError, "retention"):
            self.env["ir.module.module"].search([("name", "=", "sysengage_ged")]).button_uninstall()
        # even plain SQL is refused by the database
        for query in (
            SQL("UPDATE sysengage_ged_archive SET sha256 = %s WHERE id = %s", "0" * 64, archive.id),
            SQL("DELETE FROM sysengage_ged_archive WHERE id = %s", archive.id),
        ):
            with self.assertRaises(psycopg2.Error), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                self.env.cr.execute(query)

    def test_tampered_file_detected(self):
        archive = self.archives[1]
        raw = base64.b64decode(archive.datas)
        position = raw.index(b"obj") + 20
        forged = raw[:position] + bytes([raw[position] ^ 0x20]) + raw[position + 1 :]
        self._tamper(SQL("UPDATE sysengage_ged_archive SET datas = %s WHERE id = %s", forged, archive.id))
        errors = self._errors(archive)
        self.assertTrue(any("File altered" in e for e in errors), errors)
        self.assertTrue(any("signature" in e for e in errors), errors)
        self.assertFalse(self._errors(self.archives[0]))

    def test_forged_hash_detected_by_timestamp_and_chain(self):
        archive = self.archives[1]
        self._tamper(SQL("UPDATE sysengage_ged_archive SET sha256 = %s WHERE id = %s", "ab" * 32, archive.id))
        errors = self._errors(archive)
        self.assertTrue(any("timestamp does not prove this archive" in e for e in errors), errors)
        self.assertTrue(any("chain hash of this archive" in e for e in errors), errors)

    def test_missing_record_detected(self):
        middle = self.archives[1]
        self._tamper(SQL("DELETE FROM sysengage_ged_archive WHERE id = %s", middle.id))
        errors = self._errors(self.archives[2])
        self.assertTrue(any("previous archive (position 2) is missing" in e for e in errors), errors)
        errors = self._errors(self.archives[0])
        self.assertTrue(any("next archive (position 2) is missing" in e for e in errors), errors)
        problems = self.env["sysengage.ged.archive"]._ged_verify_company_chain(self.env.company)
        self.assertIn("gap", [p["problem"] for p in problems])
        # gap, broken link, and the invoice left without archive
        self.assertIn("unarchived", [p["problem"] for p in problems])
        action = self.archives[0].action_verify_company_chain()
        self.assertEqual(self.env["sysengage.ged.archive.verify"].browse(action["res_id"]).error_count, 3)

    def test_swapped_records_detected(self):
        first, second = self.archives[0], self.archives[1]
        self._tamper(
            SQL(
                "UPDATE sysengage_ged_archive SET sequence = CASE WHEN id = %s THEN -2 ELSE -1 END WHERE id IN %s",
                first.id,
                (first.id, second.id),
            )
        )
        self._tamper(SQL("UPDATE sysengage_ged_archive SET sequence = -sequence WHERE sequence < 0"))
        problems = self.env["sysengage.ged.archive"]._ged_verify_company_chain(self.env.company)
        self.assertIn("previous_mismatch", [p["problem"] for p in problems])
        self.assertTrue(self._errors(first))

    def test_intact_chain(self):
        self.assertEqual(self.archives.mapped("sequence"), [1, 2, 3])
        self.assertFalse(self.env["sysengage.ged.archive"]._ged_verify_company_chain(self.env.company))
        for archive in self.archives:
            self.assertFalse(self._errors(archive))

    def test_archives_follow_invoice_access(self):
        ged_only = self.env["res.users"].create(
            {
                "name": "No invoices",
                "login": "ged_no_invoice",
                "group_ids": [(6, 0, (self.env.ref("base.group_user") | self.env.ref("sysengage_ged.group_user")).ids)],
            }
        )
        self.assertFalse(self.env["sysengage.ged.archive"].with_user(ged_only).search([]))
        with self.assertRaises(AccessError):
            self.archives[0].with_user(ged_only).read(["datas"])
        self.assertEqual(
            set(self.env["sysengage.ged.archive"].with_user(self.ged_user).search([]).ids), set(self.archives.ids)
        )
