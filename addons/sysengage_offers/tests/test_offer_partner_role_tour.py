import json
from datetime import datetime, timedelta

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger


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

    def _json2(self, key, model, method, payload):
        return self.url_open(
            f"/json/2/{model}/{method}",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"},
        )

    def test_role_given_twice_through_the_api(self):
        salesman = new_test_user(self.env, login="role_api_salesman", groups="sysengage_offers.group_user")
        self.offer.user_id = salesman
        key = (
            self.env["res.users.apikeys"]
            .with_user(salesman)
            ._generate(scope="rpc", name="test", expiration_date=datetime.now() + timedelta(days=1))
        )
        vals = {"role_id": self.installer_role.id, "partner_id": self.installer.id}
        response = self._json2(
            key, "sale.order", "write", {"ids": self.offer.ids, "vals": {"sysengage_partner_role_ids": [[0, 0, vals]]}}
        )
        self.assertEqual(response.status_code, 200, response.text)
        with mute_logger("odoo.http"):
            response = self._json2(
                key, "sysengage.offer.partner", "create", {"vals_list": [{**vals, "order_id": self.offer.id}]}
            )
        self.assertEqual(response.json()["name"], "odoo.exceptions.ValidationError")
        self.assertIn("Elektro Tour AG is named twice as Installer", response.json()["message"])
        self.assertEqual(len(self.offer.sysengage_partner_role_ids), 1, "nothing half-written")
        # a salesman cannot configure the roles themselves
        with mute_logger("odoo.http"):
            response = self._json2(key, "sysengage.offer.partner.role", "create", {"vals_list": [{"name": "Mine"}]})
        self.assertEqual(response.json()["name"], "odoo.exceptions.AccessError")
        self.assertFalse(self.env["sysengage.offer.partner.role"].search([("name", "=", "Mine")]))
