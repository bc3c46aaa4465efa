from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import ReminderCommon


@tagged("post_install", "-at_install")
class TestReminder(ReminderCommon):
    def test_rule_carried_by_base_automation(self):
        rule = self._rule()
        automation = rule.sudo().automation_id
        self.assertEqual(automation.trigger, "on_time")
        self.assertEqual(automation.model_name, "crm.lead")
        self.assertEqual(automation.trg_date_id.name, "sysengage_last_activity_date")
        self.assertEqual((automation.trg_date_range, automation.trg_date_range_mode), (7, "after"))
        self.assertEqual(automation.action_server_ids.state, "next_activity")
        rule.write({"delay": 10, "active": False})
        self.assertEqual(automation.trg_date_range, 10)
        self.assertFalse(automation.active)
        rule.unlink()
        self.assertFalse(automation.exists())

    def test_idle_opportunity_fires_once(self):
        now = fields.Datetime.now()
        idle = self.env["crm.lead"].create(
            {"name": "Idle deal", "type": "opportunity", "user_id": self.rep_anna.id, "partner_id": self.customer_a.id}
        )
        fresh = self.env["crm.lead"].create({"name": "Fresh deal", "type": "opportunity", "user_id": self.rep_bruno.id})
        busy = self.env["crm.lead"].create({"name": "Busy deal", "type": "opportunity", "user_id": self.rep_bruno.id})
        busy.activity_schedule("mail.mail_activity_data_todo", summary="Planned")
        self.assertFalse(busy.sysengage_last_activity_date, "a planned activity clears the idle date")
        self.assertTrue(fresh.sysengage_last_activity_date)
        idle.sysengage_last_activity_date = now - timedelta(days=10)
        self._rule()
        self._run_automations(at=now)
        reminders = idle.activity_ids.filtered(lambda a: a.summary == "Call back")
        self.assertEqual(len(reminders), 1)
        self.assertEqual(reminders.user_id, self.rep_anna, "assigned to the opportunity's rep")
        self.assertFalse(fresh.activity_ids, "idle for less than 7 days")
        self.assertEqual(len(busy.activity_ids), 1)
        # the scheduler runs again the next day: nothing fires twice
        self._run_automations(at=now + timedelta(days=1))
        self.assertEqual(len(idle.activity_ids), 1)
        self.assertFalse(fresh.activity_ids)
        # eight days later the fresh opportunity is idle in turn, and fires once
        self._run_automations(at=now + timedelta(days=8))
        self.assertEqual(len(fresh.activity_ids), 1)
        self._run_automations(at=now + timedelta(days=9))
        self.assertEqual(len(fresh.activity_ids), 1)
        self.assertEqual(len(idle.activity_ids), 1)

    def test_email_reminder_fires_once(self):
        template = self.env["mail.template"].create(
            {
                "name": "Idle",
                "model_id": self.env["ir.model"]._get("crm.lead").id,
                "subject": "About {{ object.name }}",
                "email_to": "buyer@example.ch",
                "body_html": "<p>Hello</p>",
            }
        )
        lead = self.env["crm.lead"].create({"name": "Quiet deal", "type": "opportunity", "user_id": self.rep_anna.id})
        now = fields.Datetime.now()
        lead.sysengage_last_activity_date = now - timedelta(days=20)
        self._rule(action_type="email", mail_template_id=template.id, activity_type_id=False)
        self._run_automations(at=now)
        self._run_automations(at=now + timedelta(days=1))
        mails = self.env["mail.mail"].search([("subject", "=", "About Quiet deal")])
        self.assertEqual(len(mails), 1)

    def test_customer_without_offer_fires_once(self):
        today = fields.Date.context_today(self.env["res.partner"])
        self.customer_a.write(
            {
                "sysengage_lifecycle_state": "customer",
                "user_id": self.rep_anna.id,
                "sysengage_last_offer_date": today - timedelta(days=200),
            }
        )
        self.customer_b.write(
            {"sysengage_lifecycle_state": "customer", "sysengage_last_offer_date": today - timedelta(days=20)}
        )
        self._rule(name="No offer", kind="no_offer", delay=6, delay_unit="month", activity_summary="Propose something")
        now = fields.Datetime.now()
        self._run_automations(at=now)
        self._run_automations(at=now + timedelta(days=2))
        reminders = self.customer_a.activity_ids.filtered(lambda a: a.summary == "Propose something")
        self.assertEqual(len(reminders), 1)
        self.assertEqual(reminders.user_id, self.rep_anna)
        self.assertFalse(self.customer_b.activity_ids)

    def test_kinds_and_shipped_reminders(self):
        kinds = self.env["sysengage.reminder.rule"]._get_kinds()
        self.assertTrue({"no_offer", "lead_no_activity"} <= set(kinds))
        for xml_id in ("sysengage_crm_light.reminder_no_offer", "sysengage_crm_light.reminder_lead_no_activity"):
            rule = self.env.ref(xml_id)
            self.assertFalse(rule.active, "shipped reminders wait for a manager to turn them on")
            self.assertEqual(rule.sudo().automation_id.sysengage_reminder_rule_id, rule)
            self.assertFalse(rule.sudo().automation_id.active)

    def test_update_adopts_the_rules_own_automations_only(self):
        rule = self._rule()
        own = rule.sudo().automation_id
        foreign = self.env["base.automation"].create(
            {"name": "Lead welcome", "model_id": self.env["ir.model"]._get_id("crm.lead"), "trigger": "on_create"}
        )
        other = self._rule(name="Hijacked")
        # links as a database written before the rules recorded their automation may hold them
        (own | other.sudo().automation_id).sysengage_reminder_rule_id = False
        other.sudo().automation_id = foreign
        self.env["sysengage.reminder.rule"]._adopt_automations()
        self.assertEqual(own.sysengage_reminder_rule_id, rule)
        self.assertFalse(foreign.sysengage_reminder_rule_id, "another automation is not adopted")
        other.delay = 3
        self.assertNotEqual(other.sudo().automation_id, foreign)
        self.assertEqual((foreign.name, foreign.trigger), ("Lead welcome", "on_create"))
