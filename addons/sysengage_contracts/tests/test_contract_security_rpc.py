"""Adversarial tests through a running server (XML-RPC): invoice lines cannot be tied to a contract.

A billing user of company A used to write ``sysengage_contract_id`` and the period on his own
invoice lines, pointing at a contract of company B; cancelling the invoice then wound that contract
back (with sudo), so company B's next run invoiced the period again.
"""

from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import SQL

from odoo.addons.sysengage_base.tests.common import SysengageRpcMixin

from .common import SysengageContractsCommon

JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)


@tagged("post_install", "-at_install")
class TestContractSecurityRpc(SysengageRpcMixin, SysengageContractsCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        data_b = cls.setup_other_company(name="Rivale SA")
        cls.company_b = data_b["company"]
        cls.contract_b = cls._create_contract(
            start=JAN, company_id=cls.company_b.id, journal_id=data_b["default_journal_sale"].id
        )
        cls.contract_b.with_company(cls.company_b)._generate_invoices(FEB)
        cls.billing_a = new_test_user(
            cls.env,
            login="contract_rpc_billing_a",
            groups="base.group_user,account.group_account_invoice",
            company_id=cls.company_a.id,
            company_ids=cls.company_a.ids,
        )

    def _own_invoice(self):
        return self._create_invoice(self.customer, [(self.service, 1, 100.0)], invoice_date=JAN)

    def test_contract_fields_refused_from_clients(self):
        self.assertEqual(self.contract_b.next_period_start, MAR)
        contract_line = self.contract_b.line_ids
        forged_line = {
            "product_id": self.service.id,
            "price_unit": 1.0,
            "sysengage_contract_id": self.contract_b.id,
            "sysengage_contract_line_id": contract_line.id,
            "sysengage_period_start": "2026-01-01",
            "sysengage_period_end": "2026-01-31",
        }
        self._assert_refused(
            "contract billing only",
            self.billing_a,
            "account.move",
            "create",
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_line_ids": [(0, 0, forged_line)],
                }
            ],
        )
        invoice = self._own_invoice()
        self._assert_refused(
            "contract billing only",
            self.billing_a,
            "account.move.line",
            "write",
            invoice.invoice_line_ids.ids,
            {"sysengage_contract_id": self.contract_b.id, "sysengage_period_start": "2026-01-01"},
        )
        self._assert_refused(
            "contract billing only",
            self.billing_a,
            "account.move",
            "write",
            invoice.ids,
            {"sysengage_contract_id": self.contract_b.id, "sysengage_period_start": "2026-01-01"},
        )
        self._rpc(self.billing_a, "account.move", "action_post", invoice.ids)
        self._click(self.billing_a, "account.move", "button_cancel", invoice.ids)
        self.contract_b.invalidate_recordset()
        self.assertEqual(self.contract_b.next_period_start, MAR, "company B's contract is not wound back")
        self.assertFalse(self.contract_b.has_reopened_periods)

    def test_no_rewind_across_companies(self):
        """Even a line tied to another company's contract behind the ORM winds nothing back."""
        invoice = self._own_invoice()
        with self.assertRaisesRegex(ValidationError, "another company"):
            invoice.invoice_line_ids.sudo().write({"sysengage_contract_id": self.contract_b.id})
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE account_move_line SET sysengage_contract_id = %s, sysengage_period_start = %s WHERE id IN %s",
                self.contract_b.id,
                JAN,
                tuple(invoice.invoice_line_ids.ids),
            )
        )
        self.env.invalidate_all()
        self._rpc(self.billing_a, "account.move", "action_post", invoice.ids)
        self._click(self.billing_a, "account.move", "button_cancel", invoice.ids)
        self.contract_b.invalidate_recordset()
        self.assertEqual(self.contract_b.next_period_start, MAR)
        self.assertFalse(self.contract_b.has_reopened_periods)
