from odoo import Command

from odoo.addons.sysengage_base.tests.common import SysengageCommon


class SysengageOffersCommon(SysengageCommon):
    """Customers, products and conditions shared by the offer tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the invoicing test user also manages offers and projects
        cls.env.user.write(
            {
                "group_ids": [
                    Command.link(cls.env.ref("sysengage_offers.group_manager").id),
                    Command.link(cls.env.ref("project.group_project_manager").id),
                    Command.link(cls.env.ref("sale_management.group_sale_order_template").id),
                ]
            }
        )
        cls.env.ref("base.lang_fr").active = True
        cls.env.ref("base.lang_de").active = True
        cls.customer = cls._create_customer("Muster AG", lang="de_DE")
        cls.customer_fr = cls._create_customer("Dupont SA", lang="fr_FR", city="Genève", zip="1204")
        cls.service = cls._create_service("Consulting hour", price=150.0)
        cls.service_install = cls._create_service("Installation", price=900.0)
        cls.article = cls._create_article("Network switch", price=480.0)
        cls.condition_model = cls.env["sysengage.offer.condition"]
        # conditions shipped by other tests' data must not interfere
        cls.condition_model.search([]).active = False

    @classmethod
    def _create_condition(cls, name, condition_type="payment", **vals):
        values = {
            "name": name,
            "condition_type": condition_type,
            "text": f"<p>{name} text</p>",
        }
        values.update(vals)
        return cls.env["sysengage.offer.condition"].create(values)

    @staticmethod
    def _conditions(order):
        return order.sysengage_condition_line_ids.condition_id

    @classmethod
    def _section(cls, name):
        return Command.create({"display_type": "line_section", "name": name})
