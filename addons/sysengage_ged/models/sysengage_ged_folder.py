from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SysengageGedFolder(models.Model):
    _name = "sysengage.ged.folder"
    _description = "Document Folder"
    _parent_store = True
    _parent_name = "parent_id"
    _rec_name = "complete_name"
    _order = "complete_name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    complete_name = fields.Char(compute="_compute_complete_name", store=True, recursive=True)
    parent_id = fields.Many2one(
        "sysengage.ged.folder", string="Parent Folder", index=True, ondelete="cascade", check_company=True
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("sysengage.ged.folder", "parent_id", string="Sub-folders")
    res_model = fields.Char(
        string="Kind of Record",
        help="Technical name of the kind of record whose documents go in this folder tree "
        "(e.g. account.move, res.partner, sale.order).",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", string="Company", index=True)
    document_count = fields.Integer(compute="_compute_document_count", string="Documents")

    _check_parent_recursion = models.Constraint(
        "CHECK (parent_id IS NULL OR parent_id != id)", "A folder cannot be its own parent."
    )

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for folder in self:
            if folder.parent_id:
                folder.complete_name = f"{folder.parent_id.complete_name} / {folder.name}"
            else:
                folder.complete_name = folder.name

    def _compute_document_count(self):
        counts = dict.fromkeys(self.ids, 0)
        if self.ids:
            groups = self.env["sysengage.ged.document"]._read_group(
                [("folder_id", "child_of", self.ids)], ["folder_id"], ["__count"]
            )
            for folder, count in groups:
                # a document counts for its folder and every ancestor (parent_path "1/4/9/")
                for ancestor_id in map(int, folder.parent_path.strip("/").split("/")):
                    if ancestor_id in counts:
                        counts[ancestor_id] += count
        for folder in self:
            folder.document_count = counts.get(folder.id, 0)

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(self.env._("Folders cannot be nested in a loop."))
