from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import SysengageOffersCommon


@tagged("post_install", "-at_install")
class TestOfferTemplate(SysengageOffersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warranty = cls._create_condition("Two years warranty", "warranty", automatic=False)
        cls.template = cls.env["sale.order.template"].create(
            {
                "name": "Network installation",
                "sysengage_service_type": "Network",
                "number_of_days": 20,
                "sysengage_create_project": True,
                "sysengage_intro_text": "<p>Thank you for your interest in our network services.</p>",
                "sysengage_closing_text": "<p>We look forward to working with you.</p>",
                "sysengage_condition_ids": [Command.set(cls.warranty.ids)],
                "sale_order_template_line_ids": [
                    Command.create({"display_type": "line_section", "name": "Work"}),
                    Command.create({"product_id": cls.service_install.id, "product_uom_qty": 2}),
                    Command.create({"display_type": "line_section", "name": "Options", "is_optional": True}),
                    Command.create({"product_id": cls.article.id, "product_uom_qty": 1}),
                ],
            }
        )
        cls.template.with_context(lang="fr_FR").write(
            {
                "sysengage_intro_text": "<p>Merci de votre intérêt pour nos services réseau.</p>",
                "sysengage_closing_text": "<p>Au plaisir de collaborer avec vous.</p>",
            }
        )

    def test_template_applied_in_customer_language(self):
        with Form(self.env["sale.order"]) as form:
            form.partner_id = self.customer_fr
            form.sale_order_template_id = self.template
        offer = form.record
        self.assertIn("Merci de votre intérêt", offer.with_context(lang="fr_FR").sysengage_intro_text)
        self.assertIn("Au plaisir", offer.with_context(lang="fr_FR").sysengage_closing_text)
        self.assertEqual(offer.sysengage_condition_line_ids.condition_id, self.warranty)
        self.assertEqual(offer.sysengage_condition_line_ids.origin, "template")
        self.assertTrue(offer.sysengage_create_project)
        self.assertEqual(offer.validity_date, fields.Date.context_today(offer) + timedelta(days=20))
        products = offer.order_line.filtered(lambda line: not line.display_type)
        self.assertEqual(products.product_id, self.service_install | self.article)
        optional_section = offer.order_line.filtered(lambda line: line.name == "Options")
        self.assertTrue(optional_section.is_optional)

    def test_template_condition_not_removed_by_rules(self):
        with Form(self.env["sale.order"]) as form:
            form.partner_id = self.customer
            form.sale_order_template_id = self.template
        offer = form.record
        offer.order_line.filtered("product_id")[:1].product_uom_qty = 50
        self.assertEqual(offer.sysengage_condition_line_ids.condition_id, self.warranty)

    def test_save_offer_as_template(self):
        condition = self._create_condition("Payment 30 days")
        offer = self._create_offer(
            self.customer,
            [(self.service, 3)],
            sysengage_intro_text="<p>Our offer for your audit</p>",
            sysengage_closing_text="<p>Kind regards</p>",
            validity_date=fields.Date.context_today(self.env.user) + timedelta(days=15),
        )
        offer.write(
            {
                "order_line": [
                    Command.create({"display_type": "line_section", "name": "Optional", "is_optional": True}),
                    Command.create({"product_id": self.article.id, "product_uom_qty": 2}),
                ]
            }
        )
        action = offer.action_sysengage_save_as_template()
        template = self.env["sale.order.template"].browse(action["res_id"])
        self.assertEqual(template.number_of_days, 15)
        self.assertIn("Our offer for your audit", template.sysengage_intro_text)
        self.assertIn("Kind regards", template.sysengage_closing_text)
        self.assertEqual(template.sysengage_condition_ids, condition)
        lines = template.sale_order_template_line_ids
        self.assertEqual(lines.product_id, self.service | self.article)
        self.assertTrue(lines.filtered(lambda line: line.name == "Optional").is_optional)
        # and the saved template makes the same offer again
        with Form(self.env["sale.order"]) as form:
            form.partner_id = self.customer_fr
            form.sale_order_template_id = template
        self.assertEqual(form.record.order_line.filtered("product_id").mapped("product_uom_qty"), [3.0, 2.0])

    def test_one_template_per_type_of_service(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env["sale.order.template"].create({"name": "Network bis", "sysengage_service_type": "network"})
