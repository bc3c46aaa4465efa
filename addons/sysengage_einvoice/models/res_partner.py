from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..tools.qr_reference import clean_reference

# invoice_sending_method values added by this addon -> channel_type of sysengage.einvoice.channel
SENDING_METHOD_CHANNELS = {
    "sysengage_ebill": "ebill",
    "sysengage_ariba": "ariba",
    "sysengage_tungsten": "tungsten",
    "sysengage_conextrade": "conextrade",
    "sysengage_email": "email",
    "sysengage_paper": "paper",
}

# the e-invoice format each channel sends (shown on the customer, chosen with the channel)
CHANNEL_EDI_FORMATS = {
    "ebill": "sysengage_yellowbill",
    "ariba": "sysengage_cxml",
    "tungsten": "ubl_bis3",
    "conextrade": "facturx",
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    invoice_sending_method = fields.Selection(
        selection_add=[
            ("sysengage_ebill", "by PostFinance eBill"),
            ("sysengage_ariba", "by SAP Ariba"),
            ("sysengage_tungsten", "by Tungsten (UBL)"),
            ("sysengage_conextrade", "by Conextrade (Factur-X)"),
            ("sysengage_email", "by E-mail (dispatch)"),
            ("sysengage_paper", "by Post (print batch)"),
        ],
    )
    invoice_edi_format = fields.Selection(
        selection_add=[
            ("sysengage_yellowbill", "Switzerland (yellowbill 2.0)"),
            ("sysengage_cxml", "SAP Ariba (cXML)"),
        ],
    )
    sysengage_qr_payment_part = fields.Selection(
        [("with", "With payment part"), ("without", "Without payment part")],
        string="QR-bill payment part",
        default="with",
        help="Default for this customer's invoices; an invoice can override it.",
    )
    sysengage_qr_swico = fields.Boolean(
        string="Swico billing information",
        help="Add the Swico //S1/ billing information (invoice number, date, UID, VAT rates, conditions) "
        "to the QR code, for customers whose accounting reads it.",
    )
    sysengage_amount_in_words = fields.Boolean(
        string="Amount in words", help="Print the invoice total in words (French, German or Italian)."
    )
    sysengage_ebill_recipient_id = fields.Char(
        string="eBill recipient ID",
        help="PostFinance eBill account id of the customer (17 digits) or its alternative recipient id.",
    )
    sysengage_ariba_network_id = fields.Char(string="Ariba network ID", help="The buyer's ANID, e.g. AN01234567890.")
    sysengage_ariba_order_number = fields.Char(
        string="Ariba order number", help="Default buyer order number when the invoice has no customer reference."
    )
    sysengage_ariba_endpoint = fields.Char(
        string="Ariba endpoint URL",
        copy=False,
        help="HTTPS URL receiving the cXML invoices (with the channel's shared secret): set by e-invoice managers.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("sysengage_ariba_endpoint") for vals in vals_list):
            self._sysengage_check_ariba_endpoint_rights()
        return super().create(vals_list)

    def write(self, vals):
        if "sysengage_ariba_endpoint" in vals and any(
            partner.sysengage_ariba_endpoint != (vals["sysengage_ariba_endpoint"] or False) for partner in self
        ):
            self._sysengage_check_ariba_endpoint_rights()
        return super().write(vals)

    def _sysengage_check_ariba_endpoint_rights(self):
        # the cXML invoices carry the channel's shared secret to this URL: a user who may only edit
        # contacts must not be able to redirect them (and the secret) elsewhere
        if not (self.env.su or self.env.user.has_group("sysengage_einvoice.group_manager")):
            raise AccessError(self.env._("Only e-invoice managers may set the Ariba endpoint URL of a customer."))

    @api.onchange("invoice_sending_method")
    def _onchange_sysengage_invoice_sending_method(self):
        for partner in self:
            edi_format = CHANNEL_EDI_FORMATS.get(SENDING_METHOD_CHANNELS.get(partner.invoice_sending_method))
            if edi_format:
                partner.invoice_edi_format = edi_format

    @api.onchange("sysengage_ebill_recipient_id")
    def _onchange_sysengage_ebill_recipient_id(self):
        for partner in self:
            partner.sysengage_ebill_recipient_id = clean_reference(partner.sysengage_ebill_recipient_id) or False

    def _sysengage_einvoice_channel_type(self):
        """The channel type chosen for this customer (from invoice_sending_method), or False."""
        self.ensure_one()
        return SENDING_METHOD_CHANNELS.get(self.commercial_partner_id.invoice_sending_method, False)

    def _sysengage_invoice_recipients(self):
        """Invoice contacts of the customer (type invoice with an e-mail), else the partner itself."""
        self.ensure_one()
        commercial = self.commercial_partner_id
        contacts = commercial.child_ids.filtered(lambda child: child.type == "invoice" and child.email)
        if self.type == "invoice" and self.email:
            contacts |= self
        return contacts or self.filtered("email") or commercial.filtered("email")
