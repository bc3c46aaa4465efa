from datetime import datetime

from odoo.tests import tagged

from .common import SysengageOffersCommon


@tagged("post_install", "-at_install")
class TestOfferReport(SysengageOffersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.city = "Lausanne"
        # a company without document layout gets the layout configurator instead of the print action
        cls.company.external_report_layout_id = cls.env.ref("web.external_layout_standard")
        cls._create_condition("Paiement", text="<p>Payable à 30 jours net.</p>")
        cls._create_condition("Garantie", "warranty", text="<p>Garantie de 24 mois.</p>")

    def _render(self, offer, **context):
        html, _ = (
            self.env["ir.actions.report"]
            .with_context(**context)
            ._render_qweb_html("sale.action_report_saleorder", offer.ids)
        )
        return html.decode()

    def test_french_offer_prints_texts_and_conditions(self):
        offer = self._create_offer(
            self.customer_fr,
            [(self.service, 2)],
            date_order=datetime(2026, 11, 27, 10, 0),
            sysengage_intro_text="<p>Suite à notre entretien, voici notre offre.</p>",
            sysengage_closing_text="<p>Veuillez agréer nos salutations distinguées.</p>",
        )
        html = self._render(offer)
        self.assertIn("Lausanne</span>, le", html)
        self.assertIn("27 novembre 2026", html)
        self.assertIn("Suite à notre entretien", html)
        self.assertIn("salutations distinguées", html)
        self.assertIn("Payable à 30 jours net.", html)
        self.assertIn("Garantie de 24 mois.", html)
        self.assertNotIn("DRAFT", html)
        # the introduction comes before the lines, the closing text and conditions after the totals
        self.assertLess(html.index("Suite à notre entretien"), html.index("o_main_table"))
        self.assertLess(html.index("so_total_summary"), html.index("salutations distinguées"))
        self.assertLess(html.index("salutations distinguées"), html.index("Garantie de 24 mois."))

    def test_german_layout(self):
        offer = self._create_offer(self.customer, [(self.service, 2)], date_order=datetime(2026, 11, 27, 10, 0))
        html = self._render(offer)
        self.assertIn("27. November 2026", html)
        self.assertNotIn(", le", html)

    def test_draft_print_is_marked(self):
        offer = self._create_offer(self.customer_fr, [(self.service, 2)])
        action = offer.action_sysengage_print_draft()
        self.assertTrue(action["context"]["sysengage_offer_draft_print"])
        self.assertIn("sysengage_draft_banner", self._render(offer, sysengage_offer_draft_print=True))

    def test_invoice_prints_the_offer_texts(self):
        offer = self._create_offer(
            self.customer_fr,
            [(self.service, 2)],
            sysengage_intro_text="<p>Suite à notre offre acceptée.</p>",
            sysengage_closing_text="<p>Merci de votre confiance.</p>",
        )
        offer.action_confirm()
        invoice = offer._create_invoices()
        html, _ = self.env["ir.actions.report"]._render_qweb_html("account.account_invoices", invoice.ids)
        html = html.decode()
        self.assertIn("Suite à notre offre acceptée.", html)
        self.assertIn("Merci de votre confiance.", html)
        self.assertIn("Payable à 30 jours net.", html)
