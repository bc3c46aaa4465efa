"""A batch creation of journal entries by the suite (``MOVE_BATCH_TOKEN``): the company check runs once per
distinct company and value, and still refuses a value of another company wherever it hides in the batch; no client
can switch it on through a context."""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.sysengage_base.models.account_move_line import MOVE_BATCH_TOKEN, in_move_batch

from .common import SysengageCommon


@tagged("post_install", "-at_install")
class TestMoveBatch(SysengageCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company_data = cls.setup_other_company(name="Filiale Lugano SA")
        cls.customer = cls.env["res.partner"].create({"name": "Batch Kunde AG", "is_company": True})

    def _entry_vals(self, account):
        return {
            "move_type": "entry",
            "journal_id": self.company_data["default_journal_misc"].id,
            "date": "2026-11-30",
            "line_ids": [
                Command.create(
                    {"name": "debit", "account_id": account.id, "partner_id": self.customer.id, "balance": 10.0}
                ),
                Command.create(
                    {
                        "name": "credit",
                        "account_id": self.company_data["default_account_revenue"].id,
                        "balance": -10.0,
                    }
                ),
            ],
        }

    def test_only_the_server_token_switches_the_batch_on(self):
        Move = self.env["account.move"]
        self.assertTrue(in_move_batch(Move.with_context(sysengage_move_batch=MOVE_BATCH_TOKEN).env))
        # what a client can put in a context over RPC: strings, numbers, booleans
        for value in (True, 1, "1", "MOVE_BATCH_TOKEN"):
            self.assertFalse(in_move_batch(Move.with_context(sysengage_move_batch=value).env))

    def test_other_company_account_refused_at_the_end_of_a_batch(self):
        receivable = self.company_data["default_account_receivable"]
        foreign = self.other_company_data["default_account_receivable"]
        Move = self.env["account.move"].with_context(sysengage_move_batch=MOVE_BATCH_TOKEN)
        with self.assertRaisesRegex(UserError, "compan"):
            Move.create([self._entry_vals(receivable), self._entry_vals(receivable), self._entry_vals(foreign)])
        moves = Move.create([self._entry_vals(receivable) for _index in range(3)])
        self.assertEqual(len(moves), 3)
