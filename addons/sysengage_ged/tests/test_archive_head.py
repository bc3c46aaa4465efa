"""The anchored chain head: a deleted tail, invoices posted without archive, database guards."""

import psycopg2

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from .common import SysengageGedCommon


@tagged("post_install", "-at_install")
class TestGedArchiveHead(SysengageGedCommon):
    with_pki = True

    def setUp(self):
        super().setUp()
        # posting archives a real PDF (assets fetched from the test server on the test cursor)
        self.enterContext(self.allow_pdf_render())
        self.invoices = self._ged_invoice(post=True) | self._ged_invoice(post=True)
        self.archives = self.invoices.sysengage_ged_archive_ids.sorted("sequence")
        self.Archive = self.env["sysengage.ged.archive"]
        self.Head = self.env["sysengage.ged.archive.head"]

    def _problems(self):
        return [p["problem"] for p in self.Archive._ged_verify_company_chain(self.env.company)]

    def test_head_follows_the_chain(self):
        head = self.Head._ged_current(self.env.company)
        self.assertEqual((head.sequence, head.chain_hash), (self.archives[-1].sequence, self.archives[-1].chain_hash))
        self.assertEqual(self._problems(), [])

    def test_truncated_tail_detected(self):
        newest = self.archives.filtered(lambda a: a.move_id == self.invoices[-1])
        last_position = self.archives[-1].sequence
        self._tamper(SQL("DELETE FROM sysengage_ged_archive WHERE id IN %s", tuple(newest.ids)))
        problems = self._problems()
        self.assertIn("truncated", problems)
        # the invoice whose archives were removed is reported too
        self.assertIn("unarchived", problems)
        last = (self.archives - newest)[-1]
        errors = [msg for level, msg in last._ged_verify()[last] if level == "error"]
        self.assertTrue(any("next archive" in e for e in errors), errors)
        # archiving goes on after the recorded head: the hole stays visible
        invoice = self._ged_invoice(post=True)
        self.assertEqual(invoice.sysengage_ged_archive_ids[:1].sequence, last_position + 1)
        self.assertIn("gap", self._problems())

    def test_posted_invoice_without_archive_detected(self):
        draft = self._ged_invoice()
        self.env.flush_all()
        # posted behind the ORM's back (the state write is refused by the ORM)
        self.env.cr.execute(SQL("UPDATE account_move SET state = 'posted' WHERE id = %s", draft.id))
        self.env.invalidate_all()
        problems = self.Archive._ged_verify_company_chain(self.env.company)
        self.assertEqual([(p["problem"], p["label"]) for p in problems], [("unarchived", draft.display_name)])
        action = self.archives[0].action_verify_company_chain()
        self.assertEqual(self.env["sysengage.ged.archive.verify"].browse(action["res_id"]).error_count, 1)

    def test_database_guards(self):
        head = self.Head._ged_current(self.env.company)
        for query in (
            SQL("TRUNCATE sysengage_ged_archive CASCADE"),
            SQL("TRUNCATE sysengage_ged_archive_head CASCADE"),
            SQL("UPDATE sysengage_ged_archive_head SET sequence = 1 WHERE id = %s", head.id),
            SQL("DELETE FROM sysengage_ged_archive_head WHERE id = %s", head.id),
        ):
            with self.assertRaises(psycopg2.Error), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                self.env.cr.execute(query)
        for env in (self.env(user=self.ged_manager), self.env(su=True)):
            with self.assertRaises(UserError):
                head.with_env(env).write({"sequence": 1})
            with self.assertRaises(UserError):
                head.with_env(env).unlink()
            with self.assertRaises(UserError):
                self.Head.with_env(env).create({"company_id": self.env.company.id, "sequence": 99, "chain_hash": "0"})
