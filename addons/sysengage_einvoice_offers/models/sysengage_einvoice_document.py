from odoo import api, fields, models
from odoo.exceptions import UserError

OFFER_REPORT = "sale.action_report_saleorder"


class SysengageEinvoiceDocument(models.Model):
    """An offer (quotation) going out through a dispatch flow of type offer: the sale report with the
    Sysengage offer layout as the file; once sent, the quotation is marked sent like Odoo's 'Send by
    email' does."""

    _inherit = "sysengage.einvoice.document"

    document_type = fields.Selection(selection_add=[("offer", "Offer")], ondelete={"offer": "cascade"})
    sale_order_id = fields.Many2one(
        "sale.order", string="Offer", ondelete="cascade", index="btree_not_null", check_company=True
    )

    _sale_order_pending_unique = models.UniqueIndex(
        "(sale_order_id, channel_id) WHERE state = 'to_send'", "An offer waits only once in the dispatch queue."
    )

    @api.model
    def _selection_source_ref(self):
        return super()._selection_source_ref() + [("sale.order", "Offer")]

    # Override of sysengage_einvoice: the offer is one more source of a document.
    @api.depends("sale_order_id.name")
    def _compute_name(self):
        return super()._compute_name()

    @api.depends("sale_order_id")
    def _compute_source_ref(self):
        return super()._compute_source_ref()

    @api.depends("sale_order_id.company_id", "sale_order_id.partner_id")
    def _compute_source_values(self):
        return super()._compute_source_values()

    @api.depends("sale_order_id.amount_total")
    def _compute_amount(self):
        return super()._compute_amount()

    def _sysengage_source(self):
        if self.document_type == "offer":
            return self.sale_order_id
        return super()._sysengage_source()

    # ------------------------------------------------------------------
    # Queue
    # ------------------------------------------------------------------
    @api.model
    def _offer_recipients(self, order):
        """The person the offer is addressed to, else the customer's contacts with an e-mail."""
        commercial = order.partner_id.commercial_partner_id
        contacts = commercial.child_ids.filtered(lambda child: child.type == "contact" and child.email)
        return order.partner_id.filtered("email") or contacts or commercial.filtered("email")

    @api.model
    def _create_for_orders(self, orders):
        """Queue the quotations ``orders`` on their company's offer flow (paper for customers who get
        their invoices by post, else e-mail); an offer already waiting is not queued twice."""
        not_quotations = orders.filtered(lambda order: order.state not in ("draft", "sent"))
        if not_quotations:
            raise UserError(
                self.env._(
                    "Only quotations can be queued for dispatch (%(orders)s).",
                    orders=", ".join(not_quotations.mapped("name")),
                )
            )
        orders._sysengage_offer_approval_check("send")
        return self._queue_letters("offer", "sale_order_id", orders, [("state", "=", "to_send")])

    @api.model
    def _prepare_letter_vals(self, document_type, record, flows):
        if document_type != "offer":
            return super()._prepare_letter_vals(document_type, record, flows)
        partner = record.partner_id.commercial_partner_id
        flow = self._letter_flow("offer", record.company_id, partner, flows)
        if not flow:
            raise UserError(
                self.env._(
                    "No dispatch flow for offers is configured for %(company)s: create one with an e-mail or "
                    "paper channel.",
                    company=record.company_id.name,
                )
            )
        return self._prepare_queue_vals(flow, partner, self._offer_recipients(record))

    # ------------------------------------------------------------------
    # Builder, mail, checks and follow-up of the offer type
    # ------------------------------------------------------------------
    def _build_files(self):
        if self.document_type != "offer":
            return super()._build_files()
        self._check_simple_channel()
        order = self.sale_order_id
        pdf = self.env["ir.actions.report"]._render_qweb_pdf(OFFER_REPORT, order.ids)[0]
        name = f"{order.with_context(lang=order.partner_id.lang)._get_report_base_filename()}.pdf".replace("/", "_")
        return [{"name": name, "raw": pdf, "mimetype": "application/pdf", "main": True}]

    def _mail_content(self):
        if self.document_type != "offer":
            return super()._mail_content()
        order = self.sale_order_id
        env = self.with_context(lang=self.partner_id.lang or self.env.lang).env
        return {
            "subject": env._("Offer %(number)s from %(company)s", number=order.name, company=order.company_id.name),
            "body": env._(
                "Dear customer,\n\nPlease find attached our offer %(number)s of %(amount)s %(currency)s.\n\n"
                "We remain at your disposal for any question.\n\n%(company)s",
                number=order.name,
                amount=f"{order.amount_total:.2f}",
                currency=order.currency_id.name,
                company=order.company_id.name,
            ),
        }

    def _cancel_reason(self):
        if self.document_type == "offer" and self.sale_order_id.state == "cancel":
            return self.env._("Not sent: offer %(number)s is cancelled.", number=self.sale_order_id.name)
        return super()._cancel_reason()

    def _send_blocker(self):
        if self.document_type != "offer":
            return super()._send_blocker()
        order = self.sale_order_id
        try:
            order._sysengage_offer_approval_check("send")
        except UserError as error:
            return str(error.args[0] if error.args else error)
        return super()._send_blocker()

    def _after_send(self):
        res = super()._after_send()
        for document in self.filtered(lambda d: d.document_type == "offer"):
            order = document.sale_order_id
            # like core's 'Send by email' (message_post with mark_so_as_sent): the quotation becomes sent
            order.filtered(lambda o: o.state == "draft").with_context(tracking_disable=True).write({"state": "sent"})
            order.message_post(
                body=self.env._("Offer sent through %(channel)s.", channel=document.channel_id.display_name),
                attachments=[(attachment.name, attachment.raw) for attachment in document.attachment_ids],
            )
        return res
