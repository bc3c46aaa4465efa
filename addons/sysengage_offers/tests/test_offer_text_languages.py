from odoo import Command
from odoo.tests import Form, tagged

from .common import SysengageOffersCommon


@tagged("post_install", "-at_install")
class TestOfferTextLanguages(SysengageOffersCommon):
    """A Swiss German user writes offers for a customer in Romandy: the texts print as written."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_CH")
        cls.env["res.lang"]._activate_lang("de_CH")
        cls.user_de = cls._create_user(
            "offer_user_de", "sysengage_offers.group_user,sale_management.group_sale_order_template", lang="de_CH"
        )
        cls.customer_romand = cls._create_customer("Chocolats Favre SA", lang="fr_CH", city="Neuchâtel", zip="2000")
        cls.template = cls.env["sale.order.template"].create(
            {
                "name": "Network",
                "sysengage_intro_text": "<p>Thank you for your request.</p>",
                "sale_order_template_line_ids": [Command.create({"product_id": cls.service.id})],
            }
        )
        cls.template.update_field_translations(
            "sysengage_intro_text",
            {
                "fr_CH": {"Thank you for your request.": "Merci de votre demande."},
                "de_CH": {"Thank you for your request.": "Danke für Ihre Anfrage."},
            },
        )

    def _render(self, records, report="sale.action_report_saleorder"):
        html, _ = self.env["ir.actions.report"].with_user(self.user_de)._render_qweb_html(report, records.ids)
        return html.decode()

    def test_text_edited_in_another_language_prints_for_the_customer(self):
        self.assertEqual(self.user_de.lang, "de_CH")
        with Form(self.env["sale.order"].with_user(self.user_de)) as form:
            form.partner_id = self.customer_romand
            form.user_id = self.user_de
            form.sale_order_template_id = self.template
        offer = form.record
        # the template's text comes in the customer's language, not the user's
        self.assertIn("Merci de votre demande.", offer.sysengage_intro_text)
        # the user, working in German, rewrites the text for his French-speaking customer
        with Form(offer.with_user(self.user_de)) as form:
            form.sysengage_intro_text = "<p>Suite à votre visite du 3 novembre, voici notre offre.</p>"
            form.sysengage_closing_text = "<p>Avec nos salutations distinguées.</p>"
        # whichever language reads it, the offer has the one text that was written
        for lang in ("fr_CH", "de_CH", "en_US"):
            self.assertIn("Suite à votre visite", offer.with_context(lang=lang).sysengage_intro_text)
        html = self._render(offer)
        self.assertIn("Suite à votre visite du 3 novembre", html)
        self.assertIn("Avec nos salutations distinguées.", html)
        self.assertNotIn("Merci de votre demande.", html)
        self.assertIn("Neuchâtel", html)
        # the invoice carries the edited text, printed the same way
        offer.action_confirm()
        invoice = offer._create_invoices()
        # an accountant working in German edits the invoice's closing text
        invoice.with_context(lang="de_CH").sysengage_closing_text = "<p>Merci de votre confiance.</p>"
        html = self._render(invoice, "account.account_invoices")
        self.assertIn("Suite à votre visite du 3 novembre", html)
        self.assertIn("Merci de votre confiance.", html)

    def test_text_written_in_the_customer_language_reaches_a_german_reader(self):
        offer = self._create_offer(self.customer_romand, [(self.service, 1)], user_id=self.user_de.id)
        offer.with_user(self.user_de).with_context(lang="fr_CH").sysengage_intro_text = "<p>Bonjour</p>"
        self.assertIn("Bonjour", offer.with_user(self.user_de).sysengage_intro_text)
