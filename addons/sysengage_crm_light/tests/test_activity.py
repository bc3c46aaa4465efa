from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import CrmLightCommon


@tagged("post_install", "-at_install")
class TestActivityTypes(CrmLightCommon):
    def test_shipped_types_and_defaults(self):
        expected = {
            "mail_activity_type_phone_call": ("fa-phone", 1, False),
            "mail_activity_type_visit": ("fa-car", 7, False),
            "mail_activity_type_complaint": ("fa-exclamation-triangle", 2, True),
            "mail_activity_type_incident": ("fa-bolt", 1, True),
            "mail_activity_type_internal_task": ("fa-truck", 3, False),
        }
        for xml_id, (icon, delay, closing) in expected.items():
            activity_type = self.env.ref(f"sysengage_crm_light.{xml_id}")
            self.assertEqual(activity_type.icon, icon)
            self.assertEqual(activity_type.delay_count, delay)
            self.assertTrue(activity_type.summary)
            self.assertEqual(activity_type.sysengage_requires_close_reason, closing)

    def test_visit_gets_default_summary_and_deadline(self):
        lead = self.env["crm.lead"].with_user(self.rep_anna).create({"name": "Visit me", "type": "opportunity"})
        activity_form = Form(
            self.env["mail.activity"]
            .with_user(self.rep_anna)
            .with_context(default_res_model="crm.lead", default_res_id=lead.id)
        )
        activity_form.activity_type_id = self.env.ref("sysengage_crm_light.mail_activity_type_visit")
        visit = activity_form.save()
        self.assertEqual(visit.summary, "Visit the customer on site")
        today = fields.Date.context_today(visit)
        self.assertEqual((visit.date_deadline - today).days, 7)
        self.assertEqual(lead.activity_ids, visit)

    def test_complaint_tracked_to_closure_with_reason(self):
        lead = self.env["crm.lead"].with_user(self.rep_anna).create({"name": "Angry", "type": "opportunity"})
        complaint = lead.with_user(self.rep_anna).activity_schedule(
            "sysengage_crm_light.mail_activity_type_complaint", summary="Late delivery"
        )
        with self.assertRaises(UserError):
            complaint.with_user(self.rep_anna).action_done()
        self.assertTrue(complaint.active)
        action = complaint.with_user(self.rep_anna).action_sysengage_close()
        wizard_form = Form(self.env[action["res_model"]].with_user(self.rep_anna).with_context(**action["context"]))
        wizard_form.reason_id = self.env.ref("sysengage_crm_light.close_reason_goodwill")
        wizard_form.note = "Credit note of 5 %"
        wizard_form.save().action_close()
        self.assertFalse(complaint.active, "done activities are archived and kept")
        self.assertEqual(complaint.sysengage_close_reason_id, self.env.ref("sysengage_crm_light.close_reason_goodwill"))
        self.assertEqual(complaint.sysengage_closed_by_id, self.rep_anna)
        self.assertTrue(complaint.sysengage_closed_on)
        closed = (
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search(
                [("sysengage_close_reason_id", "!=", False), ("res_id", "=", lead.id), ("res_model", "=", "crm.lead")]
            )
        )
        self.assertEqual(closed, complaint)
        self.assertIn("Goodwill gesture granted", lead.message_ids[0].body)

    def test_phone_call_closes_without_reason(self):
        lead = self.env["crm.lead"].create({"name": "Call", "type": "opportunity"})
        call = lead.activity_schedule("sysengage_crm_light.mail_activity_type_phone_call")
        call.action_done()
        self.assertFalse(call.active)
