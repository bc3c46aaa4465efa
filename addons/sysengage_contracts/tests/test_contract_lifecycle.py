from datetime import date
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, freeze_time, tagged

from .common import SysengageContractsCommon


@tagged("post_install", "-at_install")
class TestContractLifecycle(SysengageContractsCommon):
    def test_template_fills_the_contract(self):
        template = self.env["sysengage.contract.template"].create(
            {
                "name": "Hosting yearly",
                "periodicity": "annual",
                "interval_months": 12,
                "billing_mode": "arrears",
                "duration_months": 24,
                "notice_months": 6,
                "auto_renew": True,
                "line_ids": [
                    Command.create({"display_type": "line_section", "name": "Hosting"}),
                    Command.create(
                        {"product_id": self.service.id, "quantity": 2, "price_forced": True, "price_unit": 80.0}
                    ),
                ],
            }
        )
        with Form(self.env["sysengage.contract"]) as form:
            form.partner_id = self.customer
            form.date_start = date(2026, 1, 1)
            form.template_id = template
        contract = form.record
        self.assertEqual(contract.periodicity, "annual")
        self.assertEqual(contract.interval_months, 12)
        self.assertEqual(contract.billing_mode, "arrears")
        self.assertEqual(contract.date_end, date(2027, 12, 31))
        self.assertEqual(contract.notice_months, 6)
        self.assertEqual(len(contract.line_ids), 2)
        self.assertEqual(contract.recurring_amount, 160.0)
        self.assertEqual(contract.partner_invoice_id, self.customer)
        self.assertTrue(contract.name.startswith("CT/"))
        self.assertEqual(contract.state, "draft")

    def test_duplicate(self):
        contract = self._create_contract(start=date(2026, 1, 1))
        contract._generate_invoices(date(2026, 2, 1))
        copy = contract.copy()
        self.assertNotEqual(copy.name, contract.name)
        self.assertEqual(copy.state, "draft")
        self.assertFalse(copy.next_period_start)
        self.assertEqual(copy.line_ids.mapped("price_unit"), [100.0])
        self.assertEqual(copy.invoice_count, 0)

    def test_terminate_mid_period_pro_rata(self):
        contract = self._create_contract(start=date(2026, 1, 1), billing_mode="arrears")
        contract._generate_invoices(date(2026, 2, 28))
        self.assertEqual(contract.next_period_start, date(2026, 3, 1))
        wizard = Form(self.env["sysengage.contract.terminate"].with_context(default_contract_id=contract.id))
        wizard.termination_date = date(2026, 3, 10)
        wizard.reason = "Company closed"
        self.assertEqual(wizard.last_period_start, date(2026, 3, 1))
        self.assertEqual(wizard.last_period_end, date(2026, 3, 10))
        self.assertAlmostEqual(wizard.last_period_ratio, 1000 / 31, places=2)
        self.assertEqual(wizard.last_period_amount, 32.26)
        wizard.save().action_terminate()
        self.assertEqual(contract.state, "terminated")
        self.assertEqual(contract.date_end, date(2026, 3, 10))
        self.assertEqual(contract.next_invoice_date, date(2026, 3, 10))
        move = contract._generate_invoices(date(2026, 12, 31))["moves"]
        self.assertEqual(move.amount_untaxed, 32.26)
        self.assertFalse(contract.next_invoice_date)

    def test_terminate_before_start_refused(self):
        contract = self._create_contract(start=date(2026, 1, 1))
        wizard = self.env["sysengage.contract.terminate"].create(
            {"contract_id": contract.id, "termination_date": date(2025, 12, 31), "reason": "Too early"}
        )
        with self.assertRaisesRegex(ValidationError, "before the contract start"):
            wizard.action_terminate()
        self.assertEqual(contract.state, "running")

    def test_renew_with_indexation(self):
        contract = self._create_contract(start=date(2026, 1, 1), date_end=date(2026, 12, 31), renewal_months=12)
        wizard = Form(self.env["sysengage.contract.renew"].with_context(default_contract_id=contract.id))
        self.assertEqual(wizard.new_end, date(2027, 12, 31))
        wizard.indexation_percent = 3.0
        wizard.save().action_renew()
        self.assertEqual(contract.date_end, date(2027, 12, 31))
        self.assertEqual(contract.indexation_ids.date, date(2027, 1, 1))
        moves = contract._generate_invoices(date(2027, 1, 1))["moves"].sorted("invoice_date")
        self.assertEqual(moves[-2].amount_untaxed, 100.0)
        self.assertEqual(moves[-1].amount_untaxed, 103.0)

    def test_indexation_on_invoiced_period_refused(self):
        contract = self._create_contract(start=date(2026, 1, 1))
        contract._generate_invoices(date(2026, 3, 1))
        with self.assertRaisesRegex(ValidationError, "already invoiced"):
            self.env["sysengage.contract.indexation"].create(
                {"contract_id": contract.id, "date": date(2026, 2, 1), "percent": 1.0}
            )

    def test_renewal_cron(self):
        tacit = self._create_contract(
            start=date(2026, 1, 1), date_end=date(2026, 12, 31), notice_months=3, auto_renew=True
        )
        manual = self._create_contract(
            start=date(2026, 1, 1), date_end=date(2026, 12, 31), notice_months=3, auto_renew=False
        )
        # the cron commits its batches: in a test transaction, progress is only counted
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", return_value=1.0):
            with freeze_time("2026-09-30"):
                self.env["sysengage.contract"]._cron_update_renewals()
            self.assertEqual((tacit.state, manual.state), ("running", "running"))
            with freeze_time("2026-10-01"):
                self.env["sysengage.contract"]._cron_update_renewals()
        self.assertEqual(tacit.date_end, date(2027, 12, 31))
        self.assertEqual(manual.state, "to_renew")
        self.assertTrue(manual.activity_ids)

    def test_cancel_and_unlink_rules(self):
        contract = self._create_contract(start=date(2026, 1, 1))
        contract._generate_invoices(date(2026, 1, 1))
        with self.assertRaises(UserError):
            contract.action_cancel()
        with self.assertRaises(UserError):
            contract.unlink()
        draft = self._create_contract(start=date(2026, 1, 1), state="draft")
        draft.action_cancel()
        self.assertEqual(draft.state, "cancelled")
        draft.action_draft()
        draft.unlink()

    def test_generate_refused_on_draft(self):
        draft = self._create_contract(start=date(2026, 1, 1), state="draft")
        with self.assertRaises(UserError):
            draft.action_generate_invoices()

    def test_partner_smart_button(self):
        contract = self._create_contract(start=date(2026, 1, 1))
        contact = self._create_contact(self.customer)
        self.assertEqual(contact.sysengage_contract_count, 1)
        action = contact.action_sysengage_view_contracts()
        self.assertEqual(self.env["sysengage.contract"].search(action["domain"]), contract)
        contract._generate_invoices(date(2026, 1, 1))
        self.assertEqual(contract.action_view_invoices()["res_id"], self._invoices(contract).id)

    def test_mrr_arr(self):
        contract = self._create_contract(lines=[(self.service, 1.0, 300.0)], periodicity="quarterly")
        self.assertEqual(contract.recurring_amount, 300.0)
        self.assertEqual(contract.mrr, 100.0)
        self.assertEqual(contract.arr, 1200.0)
