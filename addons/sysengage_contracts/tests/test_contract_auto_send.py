from datetime import date

from odoo.tests import new_test_user, tagged

from .common import SysengageContractsCommon


@tagged("post_install", "-at_install")
class TestContractAutoSend(SysengageContractsCommon):
    """Invoices posted at once are handed to core's "Send & Print" cron when the contract sends at once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.send_cron = cls.env.ref("account.ir_cron_account_move_send")
        cls.send_cron.active = True
        cls.rep = new_test_user(cls.env, login="contract_rep", name="Rita Rep", groups="sales_team.group_sale_salesman")

    def _triggers(self):
        return self.env["ir.cron.trigger"].search_count([("cron_id", "=", self.send_cron.id)])

    def _bill(self, contracts, day=date(2026, 1, 1)):
        return contracts._generate_invoices(day)["moves"]

    def test_posted_invoice_queued_with_the_rep_as_author(self):
        contract = self._create_contract(auto_post=True, auto_send=True, user_id=self.rep.id)
        triggers = self._triggers()
        move = self._bill(contract)
        self.assertEqual(move.state, "posted")
        self.assertEqual(
            move.sending_data, {"author_user_id": self.rep.id, "author_partner_id": self.rep.partner_id.id}
        )
        self.assertTrue(move.is_being_sent)
        self.assertEqual(self._triggers(), triggers + 1, "the Send & Print cron is triggered once")

    def test_only_contracts_sending_at_once_are_queued(self):
        sending = self._create_contract(auto_post=True, auto_send=True)
        quiet = self._create_contract(auto_post=True, auto_send=False)
        moves = self._bill(sending | quiet)
        self.assertEqual(moves.mapped("state"), ["posted", "posted"])
        self.assertTrue(self._invoices(sending).sending_data)
        self.assertFalse(self._invoices(quiet).sending_data)

    def test_nothing_queued_without_posting(self):
        contract = self._create_contract(auto_post=False, auto_send=True)
        triggers = self._triggers()
        move = self._bill(contract)
        self.assertEqual(move.state, "draft")
        self.assertFalse(move.sending_data)
        self.assertEqual(self._triggers(), triggers, "nothing queued, no trigger")

    def test_inactive_send_cron_leaves_invoices_queued(self):
        self.send_cron.active = False
        contract = self._create_contract(auto_post=True, auto_send=True)
        move = self._bill(contract)
        self.assertEqual(move.state, "posted")
        self.assertTrue(move.is_being_sent, "queued until the cron runs again")

    def test_send_cron_sends_the_invoice(self):
        self.customer.invoice_sending_method = "email"
        contract = self._create_contract(auto_post=True, auto_send=True, user_id=self.rep.id)
        move = self._bill(contract)
        self.assertFalse(move.is_move_sent)
        # the job as the scheduler runs it (its own cursor, committing its progress)
        with self.enter_registry_test_mode():
            self.send_cron.method_direct_trigger()
        self.assertFalse(move.sending_data, "core's cron clears the queue once sent")
        self.assertTrue(move.is_move_sent)
        self.assertTrue(move.invoice_pdf_report_id)
        sent = move.message_ids.filtered(lambda m: self.customer in m.partner_ids)
        self.assertEqual(sent.author_id, self.rep.partner_id, "sent by e-mail in the name of the contract's rep")

    def test_company_default_for_new_contracts(self):
        self.env.company.sysengage_contract_auto_send = True
        self.assertTrue(self._create_contract(state="draft").auto_send)
        self.env.company.sysengage_contract_auto_send = False
        self.assertFalse(self._create_contract(state="draft").auto_send)
