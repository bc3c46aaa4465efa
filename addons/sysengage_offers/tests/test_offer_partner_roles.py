from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import SysengageOffersCommon


@tagged("post_install", "-at_install")
class TestOfferPartnerRoles(SysengageOffersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.installer_role = cls.env.ref("sysengage_offers.sysengage_offer_partner_role_installer")
        cls.architect_role = cls.env.ref("sysengage_offers.sysengage_offer_partner_role_architect")
        cls.reseller_role = cls.env.ref("sysengage_offers.sysengage_offer_partner_role_reseller")
        cls.installer = cls._create_customer("Elektro Meier AG", city="Bern", zip="3011")
        cls.architect = cls._create_customer("Atelier Rossi SA", city="Lugano", zip="6900")

    def _offer_with_roles(self, *pairs, **vals):
        return self._create_offer(
            self.customer_fr,
            [(self.service, 4), (self.article, 2)],
            sysengage_partner_role_ids=[
                Command.create({"role_id": role.id, "partner_id": partner.id}) for role, partner in pairs
            ],
            **vals,
        )

    def test_roles_on_the_offer_form(self):
        with Form(self.env["sale.order"]) as form:
            form.partner_id = self.customer_fr
            with form.order_line.new() as line:
                line.product_id = self.service
            with form.sysengage_partner_role_ids.new() as role_line:
                role_line.role_id = self.installer_role
                role_line.partner_id = self.installer
                role_line.note = "Herr Meier, 031 000 00 00"
            with form.sysengage_partner_role_ids.new() as role_line:
                role_line.role_id = self.installer_role
                role_line.partner_id = self.architect
        offer = form.record
        self.assertEqual(offer.sysengage_partner_role_ids.partner_id, self.installer | self.architect)
        self.assertTrue(all(offer.sysengage_partner_role_ids.mapped("print_on_offer")))
        self.assertEqual(offer.sysengage_role_partner_ids, self.installer | self.architect)
        self.assertEqual(offer.sysengage_partner_role_ids[0].display_name, "Installer: Elektro Meier AG")

    def test_role_given_twice_to_one_partner(self):
        offer = self._offer_with_roles((self.installer_role, self.installer))
        with self.assertRaises(ValidationError) as catcher:
            offer.sysengage_partner_role_ids = [
                Command.create({"role_id": self.installer_role.id, "partner_id": self.installer.id})
            ]
        self.assertIn(f"Elektro Meier AG is named twice as Installer on {offer.name}", str(catcher.exception))
        self.assertEqual(
            self.env["sysengage.offer.partner"].search_count([("order_id", "=", offer.id)]), 1, "nothing half-written"
        )
        # the same partner in another role, or another partner in the same role, is fine
        offer.sysengage_partner_role_ids = [
            Command.create({"role_id": self.architect_role.id, "partner_id": self.installer.id}),
            Command.create({"role_id": self.installer_role.id, "partner_id": self.architect.id}),
        ]
        self.assertEqual(len(offer.sysengage_partner_role_ids), 3)

    def test_find_the_offers_where_a_partner_is_the_installer(self):
        as_installer = self._offer_with_roles((self.installer_role, self.installer))
        as_architect = self._offer_with_roles(
            (self.architect_role, self.installer), (self.installer_role, self.architect)
        )
        self._offer_with_roles((self.installer_role, self.architect))
        orders = self.env["sale.order"]
        # the exact pair: this partner in this role
        found = orders.search(
            [
                (
                    "sysengage_partner_role_ids",
                    "any",
                    [("partner_id", "=", self.installer.id), ("role_id", "=", self.installer_role.id)],
                )
            ]
        )
        self.assertEqual(found, as_installer)
        # the search view's fields: a partner named in any role, a role given to anybody
        self.assertEqual(
            orders.search([("sysengage_role_partner_ids", "ilike", "Elektro Meier")]), as_installer | as_architect
        )
        self.assertIn(as_architect, orders.search([("sysengage_role_ids", "=", self.installer_role.id)]))
        # the partner's smart button
        self.assertEqual(self.installer.sysengage_role_offer_count, 2)
        action = self.installer.action_sysengage_view_role_offers()
        self.assertEqual(orders.search(action["domain"]), as_installer | as_architect)
        self.assertEqual(self.customer.sysengage_role_offer_count, 0)

    def test_roles_carried_to_the_order_and_the_invoice(self):
        offer = self._offer_with_roles((self.installer_role, self.installer), (self.reseller_role, self.architect))
        wizard = self.env["sysengage.offer.acceptance.wizard"].create({"offer_id": offer.id})
        wizard.line_ids.filtered(lambda line: line.product_id == self.service).write({"accept": True})
        order = self.env["sale.order"].browse(wizard.action_accept()["res_id"])
        self.assertEqual(
            [(line.role_id, line.partner_id) for line in order.sysengage_partner_role_ids],
            [(self.installer_role, self.installer), (self.reseller_role, self.architect)],
        )
        self.assertEqual(len(offer.sysengage_partner_role_ids), 2, "the offer keeps its own roles")
        invoice = order._create_invoices()
        self.assertEqual(invoice.sysengage_partner_role_ids.partner_id, self.installer | self.architect)
        self.assertEqual(invoice.sysengage_partner_role_ids.company_id, invoice.company_id)

    def test_printed_roles_on_the_offer_and_invoice(self):
        self.installer_role.update_field_translations("name", {"fr_FR": "Installateur"})
        offer = self._offer_with_roles((self.installer_role, self.installer), (self.reseller_role, self.architect))
        html, _ = self.env["ir.actions.report"]._render_qweb_html("sale.action_report_saleorder", offer.ids)
        html = html.decode()
        self.assertIn("sysengage_partner_roles", html)
        self.assertIn("Installateur", html, "the role in the customer's language")
        self.assertIn("Elektro Meier AG", html)
        self.assertNotIn("Atelier Rossi SA", html, "a reseller is not printed")
        offer.action_confirm()
        invoice = offer._create_invoices()
        html, _ = self.env["ir.actions.report"]._render_qweb_html("account.account_invoices", invoice.ids)
        self.assertIn("Elektro Meier AG", html.decode())
        # no printed role: no block at all
        self.installer_role.print_on_offer = False
        html, _ = self.env["ir.actions.report"]._render_qweb_html("sale.action_report_saleorder", offer.ids)
        self.assertNotIn("sysengage_partner_roles", html.decode())

    def test_roles_stay_in_their_company(self):
        other_company = self.env["res.company"].create({"name": "Filiale GmbH"})
        other_role = self.env["sysengage.offer.partner.role"].create(
            {"name": "Site manager", "company_id": other_company.id}
        )
        other_partner = self.env["res.partner"].create({"name": "Filiale Partner", "company_id": other_company.id})
        offer = self._create_offer(self.customer, [(self.service, 1)])
        with self.assertRaises(UserError):
            offer.sysengage_partner_role_ids = [
                Command.create({"role_id": other_role.id, "partner_id": self.installer.id})
            ]
        with self.assertRaises(UserError):
            offer.sysengage_partner_role_ids = [
                Command.create({"role_id": self.installer_role.id, "partner_id": other_partner.id})
            ]
        offer.sysengage_partner_role_ids = [
            Command.create({"role_id": self.installer_role.id, "partner_id": self.installer.id})
        ]
        filiale_user = self._create_user("role_filiale", "sysengage_offers.group_manager", company=other_company)
        lines = self.env["sysengage.offer.partner"].with_user(filiale_user)
        self.assertFalse(lines.search([("order_id", "=", offer.id)]))
        roles = self.env["sysengage.offer.partner.role"].with_user(filiale_user).search([])
        self.assertIn(other_role, roles)
        self.assertIn(self.installer_role, roles, "shipped roles serve every company")
        hq_user = self._create_user("role_hq", "sysengage_offers.group_user")
        self.assertNotIn(other_role, self.env["sysengage.offer.partner.role"].with_user(hq_user).search([]))

    def test_salesman_names_partners_but_does_not_configure_roles(self):
        salesman = self._create_user("role_salesman", "sysengage_offers.group_user")
        salesman2 = self._create_user("role_salesman2", "sysengage_offers.group_user")
        offer = self._create_offer(self.customer, [(self.service, 1)], user_id=salesman.id).with_user(salesman)
        offer.sysengage_partner_role_ids = [
            Command.create({"role_id": self.installer_role.id, "partner_id": self.installer.id})
        ]
        self.assertEqual(offer.sysengage_partner_role_ids.partner_id, self.installer)
        self.assertFalse(
            self.env["sysengage.offer.partner"].with_user(salesman2).search([("order_id", "=", offer.id)]),
            "another salesman does not see the partners of an offer that is not his",
        )
        with self.assertRaises(AccessError):
            self.env["sysengage.offer.partner.role"].with_user(salesman).create({"name": "Mine"})
        with self.assertRaises(AccessError):
            self.installer_role.with_user(salesman).print_on_offer = False
