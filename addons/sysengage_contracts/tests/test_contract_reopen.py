from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import format_date

from .common import SysengageContractsCommon

JAN, FEB, MAR, APR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1)


@tagged("post_install", "-at_install")
class TestContractReopen(SysengageContractsCommon):
    """A cancelled or deleted contract invoice reopens its period(s); a credit note does not."""

    def _generate(self, contracts, day=date(2026, 3, 15)):
        return contracts._generate_invoices(day)["moves"]

    def _live_starts(self, contract):
        lines = self.env["account.move.line"].search(
            [("sysengage_contract_id", "=", contract.id), ("parent_state", "!=", "cancel")]
        )
        return sorted(set(lines.mapped("sysengage_period_start")))

    def _by_start(self, moves, start):
        return moves.filtered(lambda m: m.invoice_line_ids[:1].sysengage_period_start == start)

    def test_cancel_last_invoice_winds_back(self):
        contract = self._create_contract(start=JAN)
        moves = self._generate(contract)
        self.assertEqual(contract.next_period_start, APR)
        self._by_start(moves, MAR).button_cancel()
        self.assertEqual(contract.next_period_start, MAR)
        self.assertEqual(contract.next_invoice_date, MAR)
        self.assertFalse(contract.has_reopened_periods, "no invoiced period after the reopened one")
        note = contract.message_ids[0].body
        self.assertIn("cancelled", note)
        self.assertIn(format_date(self.env, MAR), note)
        self.assertIn(format_date(self.env, date(2026, 3, 31)), note)
        again = self._generate(contract)
        self.assertEqual(len(again), 1)
        self.assertEqual(again.sysengage_period_start, MAR)
        self.assertEqual(again.amount_untaxed, 100.0)
        self.assertEqual(contract.next_period_start, APR)
        self.assertEqual(self._live_starts(contract), [JAN, FEB, MAR])
        self.assertFalse(self._generate(contract), "exactly once")

    def test_cancel_middle_period_keeps_later_ones(self):
        contract = self._create_contract(start=JAN)
        moves = self._generate(contract)
        self._by_start(moves, FEB).button_cancel()
        self.assertEqual(contract.next_period_start, FEB)
        self.assertTrue(contract.has_reopened_periods)
        self.assertEqual(contract.next_invoice_date, FEB)
        self.assertEqual([p.start for p in contract._due_periods(date(2026, 3, 15))], [FEB], "March keeps its invoice")
        forecast = self.env["sysengage.contract.forecast"].search(contract.action_view_forecast()["domain"])
        self.assertEqual(forecast[:3].mapped("period_start"), [FEB, APR, date(2026, 5, 1)], "March is invoiced")
        self.assertEqual(len(forecast), 12)
        again = self._generate(contract)
        self.assertEqual(again.mapped("sysengage_period_start"), [FEB])
        # the billing steps over March (still invoiced): nothing is left to do
        self.assertEqual(contract.next_period_start, APR)
        self.assertFalse(contract.has_reopened_periods)
        self.assertEqual(contract.next_invoice_date, APR)
        self.assertFalse(self._generate(contract))
        # the next month is billed as usual
        self.assertEqual(self._generate(contract, APR).mapped("sysengage_period_start"), [APR])
        self.assertEqual(self._live_starts(contract), [JAN, FEB, MAR, APR])

    def test_two_gaps_and_new_period_in_one_run(self):
        contract = self._create_contract(start=JAN)
        moves = self._generate(contract, APR)
        (self._by_start(moves, JAN) | self._by_start(moves, MAR)).button_cancel()
        self.assertEqual(contract.next_period_start, JAN)
        self.assertTrue(contract.has_reopened_periods)
        again = self._generate(contract, date(2026, 5, 1))
        self.assertEqual(sorted(again.mapped("sysengage_period_start")), [JAN, MAR, date(2026, 5, 1)])
        self.assertEqual(contract.next_period_start, date(2026, 6, 1))
        self.assertFalse(contract.has_reopened_periods)

    def test_posted_reset_then_cancelled(self):
        contract = self._create_contract(start=JAN, auto_post=True)
        moves = self._generate(contract)
        self.assertEqual(set(moves.mapped("state")), {"posted"})
        february = self._by_start(moves, FEB)
        february.button_draft()
        self.assertEqual(contract.next_period_start, APR, "a draft invoice still holds its period")
        february.button_cancel()
        self.assertEqual(contract.next_period_start, FEB)
        again = self._generate(contract)
        self.assertEqual(again.mapped("sysengage_period_start"), [FEB])
        self.assertEqual(again.state, "posted")
        self.assertEqual(contract.next_period_start, APR)

    def test_posted_cancelled_directly(self):
        contract = self._create_contract(start=JAN, auto_post=True)
        moves = self._generate(contract)
        self._by_start(moves, MAR).button_cancel()
        self.assertEqual(contract.next_period_start, MAR)

    def test_deleted_draft_reopens(self):
        contract = self._create_contract(start=JAN)
        moves = self._generate(contract)
        march = self._by_start(moves, MAR)
        name = march.display_name
        march.unlink()
        self.assertEqual(contract.next_period_start, MAR)
        self.assertIn("deleted", contract.message_ids[0].body)
        self.assertIn(name, contract.message_ids[0].body)
        self.assertEqual(self._generate(contract).mapped("sysengage_period_start"), [MAR])

    def test_deleting_a_cancelled_invoice_changes_nothing_more(self):
        contract = self._create_contract(start=JAN)
        moves = self._generate(contract)
        march = self._by_start(moves, MAR)
        march.button_cancel()
        self._generate(contract)
        messages = len(contract.message_ids)
        march.unlink()
        self.assertEqual(contract.next_period_start, APR)
        self.assertEqual(len(contract.message_ids), messages)

    def test_grouped_invoice_cancel(self):
        first = self._create_contract(start=JAN, group_invoices=True)
        second = self._create_contract(lines=[(self.support, 2.0, 31.0)], start=JAN, group_invoices=True)
        moves = self._generate(first | second, FEB)
        january = moves.filtered(lambda m: m.invoice_date == JAN)
        self.assertEqual(january.invoice_line_ids.sysengage_contract_id, first | second)
        january.button_cancel()
        for contract in first | second:
            self.assertEqual(contract.next_period_start, JAN)
            self.assertTrue(contract.has_reopened_periods, "February stays invoiced")
        again = self._generate(first | second, FEB)
        self.assertEqual(len(again), 1, "one grouped invoice again, for January only")
        self.assertEqual(again.invoice_date, JAN)
        self.assertEqual(again.amount_untaxed, 162.0)
        for contract in first | second:
            self.assertEqual(contract.next_period_start, date(2026, 3, 1))
            self.assertFalse(contract.has_reopened_periods)

    def test_credit_note_does_not_reopen(self):
        contract = self._create_contract(start=JAN, auto_post=True)
        moves = self._generate(contract)
        march = self._by_start(moves, MAR)
        refund = march._reverse_moves(cancel=True)
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(march.state, "posted")
        self.assertEqual(contract.next_period_start, APR)
        self.assertFalse(self._generate(contract))
        refund.button_cancel()
        self.assertEqual(contract.next_period_start, APR, "cancelling the credit note reopens nothing either")

    def test_reinstate_after_reinvoice_refused(self):
        contract = self._create_contract(start=JAN)
        moves = self._generate(contract)
        february = self._by_start(moves, FEB)
        february.button_cancel()
        self._generate(contract)
        with self.assertRaisesRegex(UserError, "already invoiced again"):
            february.button_draft()
        self.assertEqual(february.state, "cancel")

    def test_reinstate_before_reinvoice(self):
        contract = self._create_contract(start=JAN)
        moves = self._generate(contract)
        february = self._by_start(moves, FEB)
        february.button_cancel()
        self.assertEqual(contract.next_period_start, FEB)
        february.button_draft()
        self.assertEqual(february.state, "draft")
        self.assertEqual(contract.next_period_start, APR, "the reinstated invoice holds February again")
        self.assertFalse(contract.has_reopened_periods)
        self.assertFalse(self._generate(contract))

    def test_accountant_without_contract_rights_cancels(self):
        contract = self._create_contract(start=JAN)
        moves = self._generate(contract)
        accountant = self._create_user("sg_reopen_accountant", "account.group_account_invoice")
        self._by_start(moves, MAR).with_user(accountant).button_cancel()
        self.assertEqual(contract.next_period_start, MAR)
        self.assertEqual(contract.message_ids[0].author_id, accountant.partner_id)

    def test_common_path_runs_no_query(self):
        contract = self._create_contract(start=JAN)
        self._generate(contract, FEB)
        contract.invalidate_recordset()
        # the billing loop has the contract rows in cache (one read fetches every column)
        self.assertEqual(contract.next_period_start, MAR)
        with self.assertQueryCount(0):
            periods = contract._due_periods(date(2026, 3, 15))
        self.assertEqual([p.start for p in periods], [MAR])
