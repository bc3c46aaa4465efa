import base64
from datetime import date

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.invoice_import import ImportParseError, parse_table, parse_xml, read_table
from ..tools.schemas import load_facturx


class SysengageEinvoiceImport(models.TransientModel):
    """Import customer invoices produced by another system (UBL, CII/Factur-X, yellowbill, CSV/XLS/XLSX)."""

    _name = "sysengage.einvoice.import"
    _description = "Import third-party invoices"

    file = fields.Binary(required=True)
    filename = fields.Char()
    mapping_id = fields.Many2one(
        "sysengage.einvoice.import.mapping", string="Column mapping", help="Required for CSV, XLS and XLSX files."
    )
    post_invoices = fields.Boolean(string="Post the imported invoices")
    state = fields.Selection([("upload", "Upload"), ("preview", "Preview"), ("done", "Done")], default="upload")
    line_ids = fields.One2many("sysengage.einvoice.import.line", "wizard_id", string="Invoices")
    is_table = fields.Boolean(compute="_compute_is_table")
    imported_count = fields.Integer(compute="_compute_counts")
    rejected_count = fields.Integer(compute="_compute_counts")

    @api.depends("filename")
    def _compute_is_table(self):
        for wizard in self:
            wizard.is_table = (wizard.filename or "").lower().endswith((".csv", ".xls", ".xlsx"))

    @api.depends("line_ids.status")
    def _compute_counts(self):
        for wizard in self:
            wizard.imported_count = len(wizard.line_ids.filtered(lambda rec: rec.status == "imported"))
            wizard.rejected_count = len(wizard.line_ids.filtered(lambda rec: rec.status in ("rejected", "duplicate")))

    # ------------------------------------------------------------------
    # Parsing and preview
    # ------------------------------------------------------------------
    def _parse(self):
        self.ensure_one()
        data = base64.b64decode(self.file or b"")
        name = (self.filename or "").lower()
        try:
            if self.is_table:
                if not self.mapping_id:
                    raise UserError(self.env._("Column mapping: choose a mapping to read %s.", self.filename))
                rows = read_table(data, name, self.mapping_id.delimiter)
                return parse_table(rows, self.mapping_id._mapping_dict(), self.mapping_id.date_format)
            if name.endswith(".pdf") or data[:4] == b"%PDF":
                _xml_name, xml = load_facturx().get_xml_from_pdf(data, check_xsd=False)
                if not xml:
                    raise ImportParseError("the PDF holds no Factur-X/ZUGFeRD XML")
                return parse_xml(xml)
            return parse_xml(data)
        except ImportParseError as error:
            raise UserError(
                self.env._("%(file)s cannot be read: %(reason)s", file=self.filename, reason=str(error))
            ) from error

    def action_preview(self):
        self.ensure_one()
        invoices = self._parse()
        numbers = [invoice["number"] for invoice in invoices]
        existing = set(
            self.env["account.move"]
            .search([("company_id", "=", self.env.company.id), ("sysengage_external_number", "in", numbers)])
            .mapped("sysengage_external_number")
        )
        seen = set()
        vals_list = []
        for invoice in invoices:
            partner, currency, reason = self._sysengage_resolve(invoice)
            status = "ok"
            if invoice["number"] in existing or invoice["number"] in seen:
                status, reason = "duplicate", self.env._("External number %s is already imported.", invoice["number"])
            elif reason:
                status = "rejected"
            seen.add(invoice["number"])
            vals_list.append(
                {
                    "external_number": invoice["number"],
                    "partner_name": invoice["partner_name"],
                    "partner_id": partner.id,
                    "invoice_date": invoice["invoice_date"],
                    "currency_id": currency.id,
                    "amount_total": invoice["total"] or 0.0,
                    "line_count": len(invoice["lines"]),
                    "status": status,
                    "reason": reason,
                    "payload": self._sysengage_jsonable(invoice),
                }
            )
        self.line_ids = [Command.clear()] + [Command.create(vals) for vals in vals_list]
        self.state = "preview"
        return self._sysengage_reopen()

    @api.model
    def _sysengage_jsonable(self, invoice):
        return {key: value.isoformat() if isinstance(value, date) else value for key, value in invoice.items()}

    def _sysengage_resolve(self, invoice):
        """Customer, currency and the first reason that prevents the import (or '')."""
        Partner = self.env["res.partner"]
        partner = Partner
        vat = (invoice.get("partner_vat") or "").replace(" ", "")
        if vat:
            partner = Partner.search([("vat", "=ilike", vat), ("parent_id", "=", False)], limit=1)
            if not partner:
                partner = Partner.search(
                    [("vat", "=ilike", invoice["partner_vat"]), ("parent_id", "=", False)], limit=1
                )
        if not partner and invoice.get("partner_name"):
            partner = Partner.search([("name", "=ilike", invoice["partner_name"]), ("parent_id", "=", False)], limit=1)
        currency = self.env["res.currency"].search([("name", "=", invoice.get("currency") or "CHF")], limit=1)
        if not partner:
            return (
                partner,
                currency,
                self.env._(
                    "Customer %(name)s (VAT %(vat)s) is unknown.",
                    name=invoice.get("partner_name") or "?",
                    vat=invoice.get("partner_vat") or "-",
                ),
            )
        if not currency.active:
            return partner, currency, self.env._("Currency %s is not active.", invoice.get("currency"))
        for line in invoice["lines"]:
            if line["tax_rate"] and not self._sysengage_tax(line["tax_rate"]):
                return partner, currency, self.env._("No sale tax at %s %% exists.", line["tax_rate"])
        return partner, currency, ""

    def _sysengage_tax(self, rate):
        return self.env["account.tax"].search(
            [
                ("company_id", "=", self.env.company.id),
                ("type_tax_use", "=", "sale"),
                ("amount_type", "=", "percent"),
                ("amount", "=", rate),
                ("price_include", "=", False),
            ],
            limit=1,
        )

    # ------------------------------------------------------------------
    # Import
    # ------------------------------------------------------------------
    def action_import(self):
        """Create one invoice per ready line, each in its own savepoint: an invoice is imported
        whole or not at all, and the rejected ones stay listed with their reason."""
        self.ensure_one()
        if self.state != "preview":
            raise UserError(self.env._("Preview the file before importing it."))
        for line in self.line_ids.filtered(lambda rec: rec.status == "ok"):
            try:
                with self.env.cr.savepoint():
                    move = self._sysengage_create_move(line)
                line.write({"status": "imported", "move_id": move.id})
            except (UserError, ValidationError) as error:
                line.write({"status": "rejected", "reason": str(error.args[0] if error.args else error)})
        self.state = "done"
        return self._sysengage_reopen()

    def _sysengage_create_move(self, line):
        invoice = line.payload
        move = self.env["account.move"].create(
            {
                "move_type": "out_refund" if invoice.get("credit_note") else "out_invoice",
                "partner_id": line.partner_id.id,
                "currency_id": line.currency_id.id,
                "invoice_date": invoice["invoice_date"],
                "invoice_date_due": invoice.get("due_date") or invoice["invoice_date"],
                "ref": invoice["number"],
                "sysengage_external_number": invoice["number"],
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": item["description"] or invoice["number"],
                            "quantity": item["quantity"],
                            "price_unit": item["price_unit"],
                            "tax_ids": [Command.set(self._sysengage_tax(item["tax_rate"]).ids)]
                            if item["tax_rate"]
                            else [Command.clear()],
                        }
                    )
                    for item in invoice["lines"]
                ],
            }
        )
        if invoice.get("total") is not None and move.currency_id.compare_amounts(move.amount_total, invoice["total"]):
            raise ValidationError(
                self.env._(
                    "Total: the file says %(file)s, the lines give %(computed)s.",
                    file=invoice["total"],
                    computed=move.amount_total,
                )
            )
        if self.post_invoices:
            move.action_post()
        return move

    def _sysengage_reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Import invoices"),
        }

    def action_open_invoices(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "name": self.env._("Imported invoices"),
            "view_mode": "list,form",
            "domain": [("id", "in", self.line_ids.move_id.ids)],
        }
