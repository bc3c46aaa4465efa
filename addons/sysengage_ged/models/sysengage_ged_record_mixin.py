from odoo import fields, models


class SysengageGedRecordMixin(models.AbstractModel):
    """Smart button "Documents" on a business record (account.move, res.partner, bridges)."""

    _name = "sysengage.ged.record.mixin"
    _description = "Sysengage GED: business record with documents"

    sysengage_ged_document_count = fields.Integer(string="Documents", compute="_compute_sysengage_ged_document_count")

    def _compute_sysengage_ged_document_count(self):
        counts = dict.fromkeys(self.ids, 0)
        if self.ids and self.env["sysengage.ged.document"].browse().has_access("read"):
            groups = self.env["sysengage.ged.document"]._read_group(
                [("res_model", "=", self._name), ("res_id", "in", self.ids)],
                ["res_id"],
                ["__count"],
            )
            counts.update(dict(groups))
        for record in self:
            record.sysengage_ged_document_count = counts.get(record.id, 0)

    def _sysengage_ged_default_folder(self):
        """Folder proposed for new documents of this record (the kind's root folder)."""
        return self.env["sysengage.ged.folder"].search(
            [("res_model", "=", self._name), ("parent_id", "=", False)], limit=1
        )

    def action_sysengage_ged_documents(self):
        """Open the documents of this record (kanban with drag-and-drop upload)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sysengage_ged.sysengage_ged_document_action")
        action.update(
            name=self.env._("Documents of %(record)s", record=self.display_name),
            domain=[("res_model", "=", self._name), ("res_id", "=", self.id)],
            context={
                "default_res_model": self._name,
                "default_res_id": self.id,
                "default_folder_id": self._sysengage_ged_default_folder().id,
                "searchpanel_default_folder_id": False,
            },
        )
        return action

    def action_sysengage_ged_import_attachments(self):
        """Turn the record's chatter attachments into documents (skipping those already imported)."""
        self.ensure_one()
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", self._name), ("res_id", "=", self.id), ("res_field", "=", False)]
        )
        return self.env["sysengage.ged.document"]._ged_create_from_attachments(self, attachments)
