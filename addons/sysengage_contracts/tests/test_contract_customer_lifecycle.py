from datetime import date
from unittest.mock import patch

from odoo.tests import freeze_time, tagged

from odoo.addons.base.models.ir_cron import IrCron

from .common import SysengageContractsCommon


@tagged("post_install", "-at_install")
class TestContractCustomerLifecycle(SysengageContractsCommon):
    """A running contract makes a customer and keeps it active past the months-without-offer rule."""

    def _run_inactivity_cron(self):
        with patch.object(IrCron, "_commit_progress", lambda self, processed=0, **kw: float("inf")):
            self.env["res.partner"]._cron_sysengage_mark_inactive_customers()

    def test_running_contract_makes_a_customer_a_draft_does_not(self):
        self.assertEqual(self.customer.sysengage_lifecycle_state, "prospect")
        contract = self._create_contract(state="draft")
        self.assertEqual(self.customer.sysengage_lifecycle_state, "prospect", "a draft contract makes no customer")
        contract.action_start()
        self.assertEqual(self.customer.sysengage_lifecycle_state, "customer")

    def test_running_contract_keeps_the_customer_active(self):
        self.company.sysengage_inactivity_months = 18
        self.customer.write({"sysengage_last_offer_date": date(2023, 1, 10), "company_id": self.company.id})
        contract = self._create_contract(start=date(2023, 2, 1), date_end=date(2026, 12, 31))
        ended = self._create_customer("Ended AG", sysengage_last_offer_date="2023-01-10", company_id=self.company.id)
        self._create_contract(start=date(2023, 2, 1), date_end=date(2025, 12, 31), partner_id=ended.id)
        with freeze_time("2026-03-01"):
            self._run_inactivity_cron()
        self.assertEqual(self.customer.sysengage_lifecycle_state, "customer", "its contract runs until 2026-12-31")
        self.assertEqual(ended.sysengage_lifecycle_state, "inactive", "a contract that ended keeps nobody active")
        self.assertEqual(contract.state, "running")
        with freeze_time("2027-01-02"):
            self._run_inactivity_cron()
        self.assertEqual(self.customer.sysengage_lifecycle_state, "inactive")
