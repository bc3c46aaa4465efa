from odoo import models


class SysengageDocumentTemplate(models.Model):
    _inherit = "sysengage.document.template"

    def _archive_in_ged(self, attachment, record):
        # Override of sysengage_crm_light: the generated PDF becomes a GED document of the record
        document = super()._archive_in_ged(attachment, record)
        Document = self.env["sysengage.ged.document"]
        if document or not Document.has_access("create"):
            # the user does not work with the GED: the PDF stays attached to the record only
            return document
        document = Document.create({"name": attachment.name, "res_model": record._name, "res_id": record.id})
        document._ged_add_version(attachment.raw, attachment.name)
        return document
