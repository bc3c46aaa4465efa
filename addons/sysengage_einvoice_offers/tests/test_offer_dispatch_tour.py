from odoo.tests import HttpCase, tagged

from odoo.addons.sysengage_einvoice.tests.servers import SmtpServer


@tagged("post_install", "-at_install")
class TestOfferDispatchTour(HttpCase):
    def test_offer_dispatch_tour(self):
        env = self.env(context=dict(self.env.context, force_report_rendering=True))
        company = env.company
        company.write(
            {
                "email": "info@tour.example.ch",
                "street": "Rue du Lac 12",
                "zip": "1003",
                "city": "Lausanne",
                "country_id": env.ref("base.ch").id,
            }
        )
        customer = env["res.partner"].create(
            {
                "name": "Tour Offer Customer AG",
                "is_company": True,
                "email": "info@touroffer.example.ch",
                "country_id": env.ref("base.ch").id,
            }
        )
        product = env["product.product"].create({"name": "Tour consulting", "type": "service", "list_price": 120.0})
        order = env["sale.order"].create(
            {"partner_id": customer.id, "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 3})]}
        )
        with SmtpServer() as server:
            mail_server = env["ir.mail_server"].create(
                {"name": "Tour loopback", "smtp_host": "127.0.0.1", "smtp_port": server.port, "smtp_encryption": "none"}
            )
            channel = env["sysengage.einvoice.channel"].create(
                {"name": "Tour e-mail", "channel_type": "email", "mail_server_id": mail_server.id}
            )
            env["sysengage.dispatch.flow"].create(
                {"name": "Tour offers by e-mail", "document_type": "offer", "channel_id": channel.id}
            )
            self.start_tour(f"/odoo/sales/{order.id}", "sysengage_einvoice_offers_dispatch_tour", login="admin")
            messages = list(server.messages)
        self.assertEqual(len(messages), 1)
        self.assertEqual(messages[0]["to"], ["info@touroffer.example.ch"])
        self.assertEqual(order.state, "sent")
        self.assertEqual(order.sysengage_dispatch_document_ids.state, "sent")
