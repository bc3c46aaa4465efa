from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestDispatchTour(HttpCase):
    def test_dispatch_dashboard_tour(self):
        env = self.env(context=dict(self.env.context, force_report_rendering=True))
        company = env.company
        company.partner_id.write(
            {"street": "Rue du Lac 12", "zip": "1003", "city": "Lausanne", "country_id": env.ref("base.ch").id}
        )
        customer = env["res.partner"].create(
            {
                "name": "Tour Customer AG",
                "is_company": True,
                "street": "Bahnhofstrasse 1",
                "zip": "8001",
                "city": "Zürich",
                "country_id": env.ref("base.ch").id,
                "invoice_sending_method": "sysengage_ebill",
            }
        )
        channel = env["sysengage.einvoice.channel"].create(
            {"name": "Tour eBill", "channel_type": "ebill", "ebill_biller_id": "41101000001021209"}
        )
        env["sysengage.dispatch.flow"].create({"name": "Tour eBill flow", "channel_id": channel.id})
        move = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": "2026-11-20",
                "invoice_line_ids": [(0, 0, {"name": "Consulting", "quantity": 1, "price_unit": 100.0})],
            }
        )
        move.action_post()
        document = env["sysengage.einvoice.document"]._create_for_moves(move)
        self.assertIn("eBill recipient ID", document.state_message)
        # a payment reminder waiting on its own flow (no PDF rendered here: the letter is built later)
        email = env["sysengage.einvoice.channel"].create({"name": "Tour e-mail", "channel_type": "email"})
        reminder_flow = env["sysengage.dispatch.flow"].create(
            {"name": "Tour reminders", "document_type": "reminder", "channel_id": email.id}
        )
        level = env["sysengage.reminder.level"].search([("company_id", "=", company.id)], limit=1)
        reminder = env["sysengage.reminder"].create(
            {
                "partner_id": customer.id,
                "level_id": level.id,
                "currency_id": move.currency_id.id,
                "line_ids": [(0, 0, {"move_id": move.id, "amount_residual": move.amount_residual})],
            }
        )
        env["sysengage.einvoice.document"].create(
            {
                "document_type": "reminder",
                "reminder_id": reminder.id,
                "channel_id": email.id,
                "flow_id": reminder_flow.id,
            }
        )
        self.start_tour("/odoo", "sysengage_einvoice_dispatch_tour", login="admin")
        self.assertEqual(document.state, "cancelled")
