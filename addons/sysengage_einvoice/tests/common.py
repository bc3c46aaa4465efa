from odoo.addons.sysengage_base.tests.common import PLAIN_IBAN, SysengageCommon

__all__ = ["PLAIN_IBAN", "EinvoiceCommon"]


class EinvoiceCommon(SysengageCommon):
    """Swiss company with a QR-IBAN sale journal, a customer and a posted-invoice factory."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.write({"country_id": cls.switzerland.id, "email": "billing@sysengage.ch"})
        cls.company.email = "billing@sysengage.ch"
        # the test user configures channels (manager) and their credentials (system)
        cls.env.user.group_ids |= cls.env.ref("sysengage_einvoice.group_manager") | cls.env.ref("base.group_system")
        cls.customer = cls._create_customer("Muster AG", lang="en_US", street="Bahnhofstrasse 1")
        cls.consulting = cls._create_service("Consulting hour", 150.0)
        cls.reduced = cls._create_article("Book", 40.0, taxes_id=[(6, 0, cls.vat_26.ids)])

    def setUp(self):
        super().setUp()
        if not type(self)._registry_patched:
            # "Send now" sends each document with a cursor of its own (committed, never replayed): in
            # registry test mode that cursor is the test's, as a new request's is on a server
            self.enterContext(self.enter_registry_test_mode())

    @classmethod
    def _post_invoice(cls, partner=None, lines=None, **vals):
        lines = lines or [(cls.consulting, 2, 150.0), (cls.reduced, 1, 40.0)]
        vals.setdefault("invoice_date", "2026-11-20")
        return cls._create_invoice(partner or cls.customer, lines, post=True, **vals)

    @classmethod
    def _setup_email_dispatch(cls):
        """Real PDFs rendered, the customer's invoices sent by e-mail to its accounts payable contact
        (returned)."""
        cls.env = cls.env(context=dict(cls.env.context, force_report_rendering=True))
        cls.customer.invoice_sending_method = "sysengage_email"
        return cls._create_contact(cls.customer, "Accounts Payable", type="invoice", email="ap@muster.example.ch")

    @classmethod
    def _channel(cls, channel_type, **vals):
        values = {"name": channel_type.title(), "channel_type": channel_type, "company_id": cls.company.id}
        values.update(vals)
        return cls.env["sysengage.einvoice.channel"].create(values)
