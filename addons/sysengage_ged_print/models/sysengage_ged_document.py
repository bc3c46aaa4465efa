from odoo import models
from odoo.exceptions import UserError

PDF_MIMETYPE = "application/pdf"


class SysengageGedDocument(models.Model):
    """GED documents are printed from their current file (a stored PDF), with the print dialog of
    sysengage_base."""

    _name = "sysengage.ged.document"
    _inherit = ["sysengage.ged.document", "sysengage.print.file.mixin"]

    def _sysengage_print_file(self):
        self.ensure_one()
        if not self.attachment_id:
            raise UserError(self.env._("The document %(name)s has no file to print.", name=self.name))
        if self.mimetype != PDF_MIMETYPE:
            raise UserError(
                self.env._(
                    "Only PDF files can be printed from the document management: %(name)s is a %(type)s file. "
                    "Download it and print it from the program that opens it.",
                    name=self.name,
                    type=self.mimetype or self.env._("unknown"),
                )
            )
        name = self.file_name or self.name
        if not name.lower().endswith(".pdf"):
            name = f"{name}.pdf"
        return name, self.attachment_id.raw

    def _sysengage_print_recipients(self):
        # the partner of the record the document belongs to (a customer, an invoice's customer...)
        partners = self.env["res.partner"]
        # a stored model name: its addon may have been uninstalled since
        for document in self.filtered(lambda doc: doc.res_model in self.env and doc.res_id):
            linked = self.env[document.res_model].browse(document.res_id).exists()
            if linked._name == "res.partner":
                partners |= linked
            elif "partner_id" in linked._fields:
                partners |= linked.partner_id
        return partners
