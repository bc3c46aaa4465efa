import xmlrpc.client

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestOfferPartnerRoleTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "Tour Kunde AG", "is_company": True})
        cls.installer = cls.env["res.partner"].create({"name": "Elektro Tour AG", "is_company": True})
        cls.installer_role = cls.env.ref("sysengage_offers.sysengage_offer_partner_role_installer")
        product = cls.env["product.product"].create({"name": "Wiring", "type": "service", "list_price": 120.0})
        cls.offer = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": cls.env.ref("base.user_admin").id,
                "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 3})],
            }
        )

    def test_add_an_installer_and_find_the_offer_from_its_form(self):
        self.start_tour(
            f"/odoo/action-sale.action_quotations_with_onboarding/{self.offer.id}",
            "sysengage_offer_partner_role_tour",
            login="admin",
        )
        self.assertEqual(self.offer.sysengage_partner_role_ids.partner_id, self.installer)
        self.assertEqual(self.offer.sysengage_partner_role_ids.role_id, self.installer_role)
        self.start_tour(f"/odoo/contacts/{self.installer.id}", "sysengage_offer_partner_role_find_tour", login="admin")

    def test_role_given_twice_through_rpc(self):
        salesman = new_test_user(
            self.env, login="role_rpc_salesman", password="role_rpc_salesman", groups="sysengage_offers.group_user"
        )
        self.offer.user_id = salesman
        vals = {"role_id": self.installer_role.id, "partner_id": self.installer.id}
        models = self.xmlrpc_object
        db = self.env.cr.dbname
        models.execute_kw(
            db, salesman.id, "role_rpc_salesman", "sale.order", "write",
            [[self.offer.id], {"sysengage_partner_role_ids": [(0, 0, vals)]}],
        )
        with self.assertRaisesRegex(xmlrpc.client.Fault, "named twice as Installer"):
            models.execute_kw(
                db, salesman.id, "role_rpc_salesman", "sysengage.offer.partner", "create",
                [{**vals, "order_id": self.offer.id}],
            )
        self.assertEqual(len(self.offer.sysengage_partner_role_ids), 1)
        # a salesman cannot configure the roles themselves
        with self.assertRaisesRegex(xmlrpc.client.Fault, "not allowed"):
            models.execute_kw(
                db, salesman.id, "role_rpc_salesman", "sysengage.offer.partner.role", "create", [{"name": "Mine"}]
            )
