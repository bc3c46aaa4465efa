from datetime import date
from unittest.mock import patch

from dateutil.relativedelta import relativedelta

from odoo.tests import freeze_time, tagged

from odoo.addons.base.models.ir_cron import IrCron

from .common import SysengageCommon


@tagged("post_install", "-at_install")
class TestPartnerLifecycle(SysengageCommon):
    """Prospect → customer → inactive (daily cron) → customer again."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Partner = cls.env["res.partner"]

    def _run_cron(self):
        # outside a real cron run _commit_progress would commit the test transaction
        with patch.object(IrCron, "_commit_progress", lambda self, processed=0, **kw: float("inf")):
            self.Partner._cron_sysengage_mark_inactive_customers()

    def test_new_partner_is_prospect_and_becomes_customer(self):
        partner = self._create_customer("Lifecycle AG")
        contact = self._create_contact(partner)
        self.assertEqual(partner.sysengage_lifecycle_state, "prospect")
        contact._sysengage_mark_customer()
        self.assertEqual(partner.sysengage_lifecycle_state, "customer", "a contact's offer marks its company")

    def test_cron_inactivates_after_months_without_offer(self):
        self.company.sysengage_inactivity_months = 18
        recent = self._create_customer("Recent AG", sysengage_last_offer_date="2026-01-15")
        old = self._create_customer("Old AG", sysengage_last_offer_date="2024-06-30")
        prospect = self._create_customer("Prospect AG", sysengage_last_offer_date="2020-01-01")
        (recent | old)._sysengage_mark_customer()
        with freeze_time("2026-01-10"):
            self._run_cron()
        self.assertEqual(old.sysengage_lifecycle_state, "inactive")
        self.assertEqual(old.sysengage_inactive_date, date(2026, 1, 10))
        self.assertIn("18", old.sysengage_inactive_reason)
        self.assertEqual(recent.sysengage_lifecycle_state, "customer")
        self.assertEqual(prospect.sysengage_lifecycle_state, "prospect", "only customers become inactive")

    def test_cron_uses_company_setting_and_boundary(self):
        self.company.sysengage_inactivity_months = 6
        partner = self._create_customer("Six AG", sysengage_last_offer_date="2026-01-01", company_id=self.company.id)
        partner._sysengage_mark_customer()
        with freeze_time("2026-07-01"):
            self._run_cron()
        self.assertEqual(partner.sysengage_lifecycle_state, "customer", "exactly 6 months: still active")
        with freeze_time("2026-07-02"):
            self._run_cron()
        self.assertEqual(partner.sysengage_lifecycle_state, "inactive")

    def test_cron_without_offer_uses_creation_date(self):
        partner = self._create_customer("Never offered AG")
        partner._sysengage_mark_customer()
        created = partner.create_date.date()
        # relativedelta, not date.replace(year=...): safe on 29 February
        with freeze_time(created + relativedelta(years=1)):
            self._run_cron()
        self.assertEqual(partner.sysengage_lifecycle_state, "customer")
        with freeze_time(created + relativedelta(years=2)):
            self._run_cron()
        self.assertEqual(partner.sysengage_lifecycle_state, "inactive")

    @freeze_time("2026-06-01")
    def test_reactivation(self):
        partner = self._create_customer("Back AG", sysengage_last_offer_date="2020-01-01")
        partner._sysengage_mark_customer()
        self._run_cron()
        self.assertEqual(partner.sysengage_lifecycle_state, "inactive")
        partner.sysengage_last_offer_date = date(2026, 6, 1)
        partner._sysengage_mark_customer()
        self.assertEqual(partner.sysengage_lifecycle_state, "customer")
        self.assertFalse(partner.sysengage_inactive_date)
        self.assertFalse(partner.sysengage_inactive_reason)
        self._run_cron()
        self.assertEqual(partner.sysengage_lifecycle_state, "customer", "the new offer keeps it active")

    def test_manual_inactivation(self):
        partner = self._create_customer("Manual AG")
        partner._sysengage_mark_customer()
        partner.action_sysengage_mark_inactive()
        self.assertEqual(partner.sysengage_lifecycle_state, "inactive")
        self.assertTrue(partner.sysengage_inactive_reason)

    def test_setting_in_settings(self):
        settings = self.env["res.config.settings"].create({"sysengage_inactivity_months": 24})
        settings.execute()
        self.assertEqual(self.company.sysengage_inactivity_months, 24)


@tagged("post_install", "-at_install")
class TestPartnerLifecycleBusiness(SysengageCommon):
    """What makes a customer (a posted invoice, not a draft), what keeps it active (an open invoice)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._create_service("Lifecycle audit", price=100.0)

    def _run_cron(self):
        with patch.object(IrCron, "_commit_progress", lambda self, processed=0, **kw: float("inf")):
            self.env["res.partner"]._cron_sysengage_mark_inactive_customers()

    def _pay(self, invoice):
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
            {"payment_date": invoice.invoice_date}
        )._create_payments()

    def test_posted_invoice_makes_a_customer_not_a_draft(self):
        prospect = self._create_customer("Invoice Prospect AG", company_id=self.company.id)
        contact = self._create_contact(prospect)
        invoice = self._create_invoice(contact, [(self.product, 1, 100.0)], invoice_date=date(2026, 3, 2))
        self.assertEqual(prospect.sysengage_lifecycle_state, "prospect", "a draft invoice makes no customer")
        refund = self._create_invoice(
            prospect, [(self.product, 1, 10.0)], post=True, move_type="out_refund", invoice_date=date(2026, 3, 2)
        )
        self.assertEqual(refund.state, "posted")
        self.assertEqual(prospect.sysengage_lifecycle_state, "prospect", "a credit note makes no customer")
        billing = self._create_user("lifecycle_billing", "account.group_account_invoice")
        invoice.with_user(billing).action_post()
        self.assertEqual(prospect.sysengage_lifecycle_state, "customer", "the posted invoice of its contact does")

    def test_open_invoice_keeps_the_customer_active(self):
        self.company.sysengage_inactivity_months = 18
        owing = self._create_customer("Owing AG", sysengage_last_offer_date="2024-01-10", company_id=self.company.id)
        invoice = self._create_invoice(owing, [(self.product, 1, 500.0)], post=True, invoice_date=date(2024, 1, 15))
        quiet = self._create_customer("Quiet AG", sysengage_last_offer_date="2024-01-10", company_id=self.company.id)
        quiet._sysengage_mark_customer()
        self.assertEqual(owing.sysengage_lifecycle_state, "customer")
        with freeze_time("2026-03-01"):
            self._run_cron()
        self.assertEqual(quiet.sysengage_lifecycle_state, "inactive")
        self.assertEqual(owing.sysengage_lifecycle_state, "customer", "an open invoice keeps the customer active")
        self._pay(invoice)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        with freeze_time("2026-03-02"):
            self._run_cron()
        self.assertEqual(owing.sysengage_lifecycle_state, "inactive", "once paid, the 18-month rule applies")

    def test_month_count_per_company(self):
        other = self.setup_other_company(name="Sysengage Ticino SA")["company"]
        self.company.sysengage_inactivity_months = 6
        other.sysengage_inactivity_months = 24
        here = self._create_customer("Here AG", sysengage_last_offer_date="2025-06-30", company_id=self.company.id)
        there = self._create_customer("There SA", sysengage_last_offer_date="2025-06-30", company_id=other.id)
        (here | there)._sysengage_mark_customer()
        with freeze_time("2026-03-01"):
            self._run_cron()
        self.assertEqual(here.sysengage_lifecycle_state, "inactive", "6 months in this company")
        self.assertEqual(there.sysengage_lifecycle_state, "customer", "24 months in the other one")
        self.assertIn("6", here.sysengage_inactive_reason)
        with freeze_time("2027-07-01"):
            self._run_cron()
        self.assertEqual(there.sysengage_lifecycle_state, "inactive")
        self.assertIn("24", there.sysengage_inactive_reason)
