from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.sysengage_contracts.tests.common import SysengageContractsCommon
from odoo.addons.sysengage_crm_light.tests.common import ReminderCommon


@tagged("post_install", "-at_install")
class TestContractReminder(ReminderCommon, SysengageContractsCommon):
    def test_shipped_reminder_and_planning(self):
        rule = self.env.ref("sysengage_crm_light_contracts.reminder_contract_renewal")
        self.assertFalse(rule.active)
        self.assertEqual(rule.model_name, "sysengage.contract")
        self.assertEqual(rule.sudo().automation_id.trg_date_id.name, "date_end")
        self.assertIn("sysengage.contract", self.env["sysengage.planning.item"]._get_activity_models())

    def test_contract_renewal_fires_once(self):
        today = fields.Date.context_today(self.env["sysengage.contract"])
        ending = self._create_contract(partner_id=self.customer_a.id, date_end=today + timedelta(days=20))
        later = self._create_contract(partner_id=self.customer_b.id, date_end=today + timedelta(days=90))
        self._rule(name="Renewal", kind="contract_renewal", delay=30, activity_summary="Discuss the renewal")
        now = fields.Datetime.now()
        self._run_automations(at=now)
        self._run_automations(at=now + timedelta(hours=12))
        reminders = ending.activity_ids.filtered(lambda a: a.summary == "Discuss the renewal")
        self.assertEqual(len(reminders), 1)
        self.assertEqual(reminders.user_id, ending.user_id, "the contract's salesperson gets the activity")
        self.assertFalse(later.activity_ids.filtered(lambda a: a.summary == "Discuss the renewal"))
