from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.sysengage_crm_light.tests.common import ReminderCommon


@tagged("post_install", "-at_install")
class TestOfferReminder(ReminderCommon):
    def test_shipped_reminder(self):
        rule = self.env.ref("sysengage_crm_light_sale.reminder_offer_expiring")
        self.assertFalse(rule.active)
        self.assertEqual(rule.model_name, "sale.order")
        self.assertEqual(rule.sudo().automation_id.model_id.model, "sale.order")

    def test_offer_expiring_fires_once(self):
        today = fields.Date.context_today(self.env["sale.order"])
        soon = self._create_offer(
            self.customer_a, [(self.service, 1)], user_id=self.rep_anna.id, validity_date=today + timedelta(days=5)
        )
        later = self._create_offer(
            self.customer_b, [(self.service, 1)], user_id=self.rep_bruno.id, validity_date=today + timedelta(days=30)
        )
        confirmed = self._create_offer(self.customer_c, [(self.service, 1)], validity_date=today + timedelta(days=3))
        confirmed.action_confirm()
        self._rule(name="Expiring", kind="offer_expiring", delay=7, activity_summary="Follow up the offer")
        now = fields.Datetime.now()
        self._run_automations(at=now)
        self._run_automations(at=now + timedelta(hours=12))
        self.assertEqual(len(soon.activity_ids.filtered(lambda a: a.summary == "Follow up the offer")), 1)
        self.assertFalse(later.activity_ids.filtered(lambda a: a.summary == "Follow up the offer"))
        self.assertFalse(confirmed.activity_ids.filtered(lambda a: a.summary == "Follow up the offer"))
