from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import SysengageOffersCommon


@tagged("post_install", "-at_install")
class TestOfferCopy(SysengageOffersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.condition = cls._create_condition("Payment 30 days")
        cls.offer = cls._create_offer(
            cls.customer,
            [(cls.service, 2), (cls.article, 1, 450.0)],
            sysengage_intro_text="<p>Introduction of the offer</p>",
            sysengage_closing_text="<p>Closing of the offer</p>",
        )
        cls.offer.sysengage_condition_line_ids.text = "<p>Payment within 10 days</p>"

    def _check_texts_and_conditions(self, record):
        self.assertIn("Introduction of the offer", record.sysengage_intro_text)
        self.assertIn("Closing of the offer", record.sysengage_closing_text)
        self.assertEqual(record.sysengage_condition_line_ids.condition_id, self.condition)
        self.assertIn("10 days", record.sysengage_condition_line_ids.text)

    def test_duplicate_offer(self):
        copy = self.offer.copy()
        self._check_texts_and_conditions(copy)
        self.assertEqual(len(copy.sysengage_condition_line_ids), 1, "the edited condition is not added twice")

    def test_duplicate_confirmed_order(self):
        self.offer.action_confirm()
        copy = self.offer.copy()
        self.assertEqual(copy.state, "draft")
        self._check_texts_and_conditions(copy)

    def test_invoice_gets_and_copies_texts(self):
        self.offer.action_confirm()
        invoice = self.offer._create_invoices()
        self._check_texts_and_conditions(invoice)
        self._check_texts_and_conditions(invoice.copy())

    def _open_wizard(self, action):
        return Form(self.env[action["res_model"]].with_context(**action["context"]))

    def test_copy_lines_from_offer_into_offer(self):
        target = self._create_offer(self.customer_fr, [(self.service_install, 1)])
        with self._open_wizard(target.action_sysengage_copy_lines()) as form:
            form.source_order_id = self.offer
            self.assertEqual(len(form.line_ids), 2)
            with form.line_ids.edit(1) as line:
                line.selected = True
        form.record.action_copy()
        copied = target.order_line[-1]
        self.assertEqual(copied.product_id, self.article)
        self.assertEqual(copied.price_unit, 450.0, "the price of the source line is kept")
        self.assertEqual(len(target.order_line), 2)

    def test_copy_lines_from_order_into_offer(self):
        self.offer.action_confirm()
        target = self._create_offer(self.customer_fr, [])
        with self._open_wizard(target.action_sysengage_copy_lines()) as form:
            form.source_order_id = self.offer
            for index in range(2):
                with form.line_ids.edit(index) as line:
                    line.selected = True
        form.record.action_copy()
        self.assertEqual(target.order_line.product_id, self.service | self.article)
        self.assertEqual(target.order_line.mapped("product_uom_qty"), [2.0, 1.0])

    def test_copy_lines_from_invoice_into_offer(self):
        invoice = self._create_invoice(self.customer, [(self.service_install, 3, 850.0)])
        invoice.write({"invoice_line_ids": [Command.create({"display_type": "line_note", "name": "Night work"})]})
        target = self._create_offer(self.customer, [])
        with self._open_wizard(target.action_sysengage_copy_lines()) as form:
            form.source_type = "account.move"
            form.source_move_id = invoice
            for index in range(len(form.line_ids)):
                with form.line_ids.edit(index) as line:
                    line.selected = True
        form.record.action_copy()
        product_line = target.order_line.filtered("product_id")
        self.assertEqual((product_line.product_uom_qty, product_line.price_unit), (3.0, 850.0))
        self.assertEqual(target.order_line.filtered("display_type").name, "Night work")

    def test_copy_lines_from_offer_into_invoice(self):
        invoice = self._create_invoice(self.customer, [(self.service_install, 1, 900.0)])
        with self._open_wizard(invoice.action_sysengage_copy_lines()) as form:
            form.source_order_id = self.offer
            with form.line_ids.edit(0) as line:
                line.selected = True
        form.record.action_copy()
        self.assertEqual(invoice.invoice_line_ids.product_id, self.service_install | self.service)
        self.assertEqual(invoice.invoice_line_ids[-1].quantity, 2.0)

    def test_copy_without_selection_or_into_confirmed(self):
        target = self._create_offer(self.customer, [(self.service, 1)])
        wizard = self.env["sysengage.line.copy.wizard"].create(
            {"target_order_id": target.id, "source_order_id": self.offer.id}
        )
        with self.assertRaisesRegex(UserError, "Tick at least one line"):
            wizard.action_copy()
        target.action_confirm()
        with self.assertRaisesRegex(UserError, "not confirmed"):
            target.action_sysengage_copy_lines()
