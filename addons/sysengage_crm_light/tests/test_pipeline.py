from datetime import date

from odoo.tests import tagged

from .common import CrmLightCommon


@tagged("post_install", "-at_install")
class TestPipelineReport(CrmLightCommon):
    def test_expected_revenue_by_stage_and_month(self):
        stages = self.env["crm.stage"].search([], limit=2)
        Lead = self.env["crm.lead"]
        values = [
            ("Deal A", stages[0], date(2026, 5, 10), 1000.0),
            ("Deal B", stages[0], date(2026, 5, 20), 500.0),
            ("Deal C", stages[1], date(2026, 5, 3), 700.0),
            ("Deal D", stages[1], date(2026, 6, 1), 300.0),
        ]
        leads = Lead.create(
            [
                {
                    "name": name,
                    "type": "opportunity",
                    "stage_id": stage.id,
                    "date_deadline": deadline,
                    "expected_revenue": amount,
                    "partner_id": self.customer_a.id,
                }
                for name, stage, deadline, amount in values
            ]
        )
        action = self.env.ref("sysengage_crm_light.crm_lead_action_pipeline_report")
        self.assertEqual(action.res_model, "crm.lead")
        pivot = self.env.ref("sysengage_crm_light.crm_lead_view_pivot_pipeline_report")
        self.assertIn('name="date_deadline" interval="month"', pivot.arch_db)
        groups = Lead._read_group(
            [("id", "in", leads.ids)], ["stage_id", "date_deadline:month"], ["expected_revenue:sum"]
        )
        result = {(stage, month.month): total for stage, month, total in groups}
        self.assertEqual(
            result,
            {(stages[0], 5): 1500.0, (stages[1], 5): 700.0, (stages[1], 6): 300.0},
        )

    def test_idle_date_follows_activities(self):
        lead = self.env["crm.lead"].create({"name": "Follow", "type": "opportunity"})
        self.assertTrue(lead.sysengage_last_activity_date)
        call = lead.activity_schedule("sysengage_crm_light.mail_activity_type_phone_call")
        self.assertFalse(lead.sysengage_last_activity_date)
        call.action_done()
        self.assertTrue(lead.sysengage_last_activity_date, "idle again once the last activity is done")
