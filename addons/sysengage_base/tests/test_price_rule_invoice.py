from odoo import Command
from odoo.tests import Form, tagged

from .common import SysengageCommon


@tagged("post_install", "-at_install")
class TestPriceRuleInvoice(SysengageCommon):
    """Customer invoice lines take the table price through account's own price computation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer("Invoice AG")
        cls.other = cls._create_customer("List price AG")
        cls.service = cls._create_service("Support hour", price=150.0)
        cls.rule = cls._create_price_rule(cls.service, cls.customer, price=130.0)
        cls.volume = cls._create_price_rule(cls.service, cls.customer, price=120.0, min_quantity=10)
        cls.discount = cls._create_price_rule(None, cls.other, discount=10.0)

    def _new_invoice(self, partner, move_type="out_invoice"):
        return self.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": "2026-06-01",
                "invoice_line_ids": [Command.create({"product_id": self.service.id, "quantity": 1.0})],
            }
        )

    def test_line_gets_table_price_and_follows_quantity(self):
        invoice = self._new_invoice(self.customer)
        line = invoice.invoice_line_ids
        self.assertEqual(line.price_unit, 130.0)
        self.assertEqual(line.sysengage_price_rule_id, self.rule)
        line.quantity = 12
        self.assertEqual(line.price_unit, 120.0, "the quantity break applies when the quantity grows")
        self.assertEqual(line.sysengage_price_rule_id, self.volume)
        line.quantity = 2
        self.assertEqual(line.price_unit, 130.0)
        invoice.action_post()
        self.assertEqual(invoice.amount_untaxed, 260.0)

    def test_discount_rule_and_partner_change(self):
        invoice = self._new_invoice(self.other)
        line = invoice.invoice_line_ids
        self.assertEqual((line.price_unit, line.discount), (150.0, 10.0))
        invoice.partner_id = self.customer
        self.assertEqual((line.price_unit, line.discount), (130.0, 0.0))
        invoice.partner_id = self._create_customer("No rule AG")
        self.assertEqual((line.price_unit, line.discount), (150.0, 0.0), "back to the list price")
        self.assertFalse(line.sysengage_price_rule_id)

    def test_manual_price_kept(self):
        invoice = self._new_invoice(self.customer)
        line = invoice.invoice_line_ids
        line.price_unit = 99.0
        line.quantity = 15
        self.assertEqual(line.price_unit, 99.0, "a price typed by hand is kept")
        # an explicit price given at creation (e.g. from a sale order) is kept too
        explicit = self._create_invoice(self.customer, [(self.service, 1, 111.0)])
        explicit.invoice_line_ids.quantity = 20
        self.assertEqual(explicit.invoice_line_ids.price_unit, 111.0)
        # a new article is priced again
        explicit.invoice_line_ids.product_id = self._create_service("Audit day", price=1000.0)
        self.assertEqual(explicit.invoice_line_ids.price_unit, 1000.0)

    def test_form_onchange(self):
        with Form(self.env["account.move"].with_context(default_move_type="out_invoice")) as move_form:
            move_form.partner_id = self.customer
            move_form.invoice_date = "2026-06-01"
            with move_form.invoice_line_ids.new() as line_form:
                line_form.product_id = self.service
                self.assertEqual(line_form.price_unit, 130.0)
                line_form.quantity = 10
                self.assertEqual(line_form.price_unit, 120.0)
        invoice = move_form.save()
        self.assertEqual(invoice.invoice_line_ids.price_unit, 120.0)
        self.assertEqual(invoice.invoice_line_ids.sysengage_price_rule_id, self.volume)
        invoice.invoice_line_ids.quantity = 11
        self.assertEqual(invoice.invoice_line_ids.price_unit, 120.0)

    def test_vendor_bill_untouched(self):
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.customer.id,
                "invoice_date": "2026-06-01",
                # no purchase tax: the chart's vendor taxes may belong to another fiscal country when
                # sysengage_base runs without a Swiss localisation
                "invoice_line_ids": [
                    Command.create({"product_id": self.service.id, "quantity": 1.0, "tax_ids": [Command.clear()]})
                ],
            }
        )
        self.assertEqual(bill.invoice_line_ids.price_unit, 75.0, "purchase lines keep the cost")
        self.assertFalse(bill.invoice_line_ids.sysengage_price_rule_id)

    def test_batch_one_query_for_many_lines(self):
        products = [self._create_service(f"Service {index}", price=10.0 + index) for index in range(20)]
        invoice = self.env["account.move"].new({"move_type": "out_invoice", "partner_id": self.customer.id})
        Rule = self.env["sysengage.price.rule"]
        lines = [{"product": product, "partner": self.customer, "quantity": 1.0} for product in products]
        Rule._sysengage_resolve_prices(lines[:1])  # warm the caches
        with self.assertQueryCount(2):
            results = Rule._sysengage_resolve_prices(lines)
        self.assertEqual(len(results), 20)
        self.assertTrue(invoice)

    def test_explain_from_invoice_line(self):
        invoice = self._new_invoice(self.customer)
        action = invoice.invoice_line_ids.action_sysengage_explain_price()
        wizard = self.env[action["res_model"]].with_context(**action["context"]).create({})
        self.assertEqual(wizard.rule_id, self.rule)
        self.assertEqual(wizard.price_unit, 130.0)
        self.assertEqual(wizard.date.isoformat(), "2026-06-01")
