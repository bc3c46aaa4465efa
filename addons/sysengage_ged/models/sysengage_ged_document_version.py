from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from .sysengage_ged_document import _FILE_TOKEN


class SysengageGedDocumentVersion(models.Model):
    _name = "sysengage.ged.document.version"
    _description = "Document Version"
    _order = "document_id, version desc"

    document_id = fields.Many2one("sysengage.ged.document", required=True, index=True, ondelete="cascade")
    version = fields.Integer(required=True, readonly=True)
    attachment_id = fields.Many2one("ir.attachment", required=True, readonly=True, ondelete="cascade")
    datas = fields.Binary(related="attachment_id.datas", string="File")
    checksum = fields.Char(related="attachment_id.checksum")
    file_name = fields.Char(readonly=True)
    mimetype = fields.Char(readonly=True)
    file_size = fields.Integer(string="Size (bytes)", readonly=True)

    _version_unique = models.Constraint("UNIQUE(document_id, version)", "A version number is used once per document.")

    @api.model_create_multi
    def create(self, vals_list):
        # versions are created by uploading a file to a document (its related file is read with sudo)
        if self.env.context.get("sysengage_ged_file_token") is not _FILE_TOKEN:
            raise UserError(self.env._("Versions are created by uploading a new file to the document."))
        return super().create(vals_list)

    def write(self, vals):
        if vals:
            raise UserError(self.env._("Document versions cannot be changed."))
        return super().write(vals)

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, *, active_test=True, bypass_access=False):
        # Override: a version is visible when its document is (the document's own _search
        # applies the access of the record it belongs to)
        if not (self.env.su or bypass_access):
            documents = self.env["sysengage.ged.document"].with_context(active_test=False)._search(Domain.TRUE)
            domain = Domain(domain) & Domain("document_id", "in", documents)
        return super()._search(domain, offset, limit, order, active_test=active_test, bypass_access=bypass_access)

    def _check_access(self, operation):
        # Override: the version follows its document
        result = super()._check_access(operation)
        if not self or (result and result[0] == self):
            return result
        forbidden = result[0] if result else self.browse()
        remaining = (self - forbidden).sudo()
        documents = remaining.document_id.sudo(False)
        allowed_documents = documents._filtered_access("read" if operation == "read" else "write")
        denied = remaining.filtered(lambda version: version.document_id not in allowed_documents.sudo())
        if not denied:
            return result
        forbidden |= self.browse(denied.ids)
        return forbidden, documents._check_access("read" if operation == "read" else "write")[1]

    def action_download(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}?download=true&field=datas&filename_field=file_name",
            "target": "download",
        }
