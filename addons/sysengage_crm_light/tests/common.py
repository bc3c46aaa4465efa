from datetime import date
from unittest.mock import patch

from odoo.addons.sysengage_base.tests.common import SysengageCommon


class CrmLightCommon(SysengageCommon):
    """Reps, customers, products and posted invoices of 2026 and 2025 with known totals."""

    @classmethod
    def get_default_groups(cls):
        # the test user configures indicators and opportunities: CRM Light and Sales managers
        return (
            super().get_default_groups()
            | cls.env.ref("sysengage_crm_light.group_manager")
            | cls.env.ref("sales_team.group_sale_manager")
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep_anna = cls._create_user("crm_anna", "sysengage_crm_light.group_user", name="Anna Rep")
        cls.rep_bruno = cls._create_user("crm_bruno", "sysengage_crm_light.group_user", name="Bruno Rep")
        cls.manager = cls._create_user("crm_manager", "sysengage_crm_light.group_manager", name="Carla Manager")
        cls.customer_a = cls._create_customer("Alpha SA")
        cls.customer_b = cls._create_customer("Beta AG")
        cls.customer_c = cls._create_customer("Gamma Sagl")
        cls.service = cls._create_service("Audit day", price=1200.0)
        cls.article = cls._create_article("Router", price=300.0)

    @classmethod
    def _create_sales(cls):
        """Posted invoices and one refund; returns the list of (partner, product, rep, date, amount)."""
        plan = [
            (cls.customer_a, cls.service, cls.rep_anna, date(2026, 1, 15), 2, 1200.0),
            (cls.customer_a, cls.article, cls.rep_anna, date(2026, 2, 10), 5, 300.0),
            (cls.customer_b, cls.service, cls.rep_bruno, date(2026, 2, 20), 1, 1100.0),
            (cls.customer_c, cls.article, cls.rep_bruno, date(2026, 3, 5), 10, 290.0),
            (cls.customer_b, cls.article, cls.rep_anna, date(2025, 2, 3), 4, 300.0),
            (cls.customer_a, cls.service, cls.rep_anna, date(2025, 12, 30), 1, 1000.0),
        ]
        facts = []
        for partner, product, rep, invoice_date, qty, price in plan:
            cls._create_invoice(
                partner, [(product, qty, price)], post=True, invoice_date=invoice_date, invoice_user_id=rep.id
            )
            facts.append((partner, product, rep, invoice_date, qty * price))
        refund = cls.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": cls.customer_c.id,
                "invoice_date": date(2026, 3, 20),
                "invoice_user_id": cls.rep_bruno.id,
                "invoice_line_ids": [(0, 0, {"product_id": cls.article.id, "quantity": 2, "price_unit": 290.0})],
            }
        )
        refund.action_post()
        facts.append((cls.customer_c, cls.article, cls.rep_bruno, date(2026, 3, 20), -580.0))
        return facts

    @classmethod
    def _expected(cls, facts, key, date_from, date_to):
        """Independent sums: {key(fact): amount} over the facts dated within the range."""
        sums = {}
        for fact in facts:
            if date_from <= fact[3] <= date_to:
                sums[key(fact)] = sums.get(key(fact), 0.0) + fact[4]
        return sums


class ReminderCommon(CrmLightCommon):
    """Reminder rules of a manager and the time-based automation scheduler run at a given time."""

    def _run_automations(self, at=None):
        """Run the time-based automation scheduler as its cron would, at ``at`` (default: now)."""
        Automation = self.env["base.automation"]
        cron = type(self.env["ir.cron"])
        with patch.object(cron, "_commit_progress", return_value=1.0):
            if at:
                with patch.object(type(self.env.cr), "now", return_value=at):
                    Automation._cron_process_time_based_actions()
            else:
                Automation._cron_process_time_based_actions()

    def _rule(self, **vals):
        values = {
            "name": "Idle opportunity",
            "kind": "lead_no_activity",
            "delay": 7,
            "delay_unit": "day",
            "action_type": "activity",
            "activity_type_id": self.env.ref("sysengage_crm_light.mail_activity_type_phone_call").id,
            "activity_summary": "Call back",
        }
        values.update(vals)
        return self.env["sysengage.reminder.rule"].with_user(self.manager).create(values)
