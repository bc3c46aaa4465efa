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
        document = env["sysengage.einvoice.document"]._sysengage_create_for_moves(move)
        self.assertIn("eBill recipient ID", document.state_message)
        with self.allow_pdf_render():
            self.start_tour("/odoo", "sysengage_einvoice_dispatch_tour", login="admin")
        self.assertEqual(document.state, "cancelled")
