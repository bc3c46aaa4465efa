import base64

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.sysengage_base.tools import address_import as imp

from ..models.sysengage_import_source_column import TARGET_FIELD_SELECTION

PREVIEW_BATCH = 5000


class SysengageAddressImportWizard(models.TransientModel):
    """Import addresses: upload, map the columns (saved on the source), preview the matches, apply."""

    _name = "sysengage.address.import.wizard"
    _description = "Sysengage Address Import"

    state = fields.Selection(
        [("upload", "Upload"), ("map", "Columns"), ("preview", "Preview"), ("done", "Done")],
        default="upload",
        required=True,
    )
    source_id = fields.Many2one("sysengage.import.source", string="Source", required=True)
    file = fields.Binary(string="File", required=True)
    filename = fields.Char()
    column_ids = fields.One2many(related="source_id.column_ids", readonly=False, string="Column Mapping")
    file_columns = fields.Char(string="Columns in the File", readonly=True)
    line_ids = fields.One2many("sysengage.address.import.line", "wizard_id", string="Preview")
    count_new = fields.Integer(compute="_compute_counts", string="New")
    count_update = fields.Integer(compute="_compute_counts", string="To Update")
    count_unchanged = fields.Integer(compute="_compute_counts", string="Unchanged")
    count_ambiguous = fields.Integer(compute="_compute_counts", string="Ambiguous")
    count_rejected = fields.Integer(compute="_compute_counts", string="Rejected")
    log_id = fields.Many2one("sysengage.import.log", string="Log", readonly=True)

    @api.depends("line_ids.status")
    def _compute_counts(self):
        for wizard in self:
            counts = dict.fromkeys(("new", "update", "unchanged", "ambiguous", "rejected"), 0)
            if wizard.id:
                groups = self.env["sysengage.address.import.line"]._read_group(
                    [("wizard_id", "=", wizard.id)], ["status"], ["__count"]
                )
                counts.update(dict(groups))
            wizard.count_new = counts["new"]
            wizard.count_update = counts["update"]
            wizard.count_unchanged = counts["unchanged"]
            wizard.count_ambiguous = counts["ambiguous"]
            wizard.count_rejected = counts["rejected"]

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_read_columns(self):
        """Read the column titles of the file; propose a mapping when the source has none yet."""
        self.ensure_one()
        headers, _rows = self.source_id._sysengage_read(self._get_content())
        if not self.source_id.column_ids:
            guessed = imp.guess_mapping(headers)
            order = [target for target, _label in TARGET_FIELD_SELECTION]
            self.source_id.column_ids = [
                Command.create(
                    {"target_field": target, "column_name": guessed[target], "sequence": order.index(target)}
                )
                for target in order
                if target in guessed
            ]
        self.write({"state": "map", "file_columns": ", ".join(header for header in headers if header)})
        return self._reopen()

    def action_preview(self):
        self.ensure_one()
        results, _headers = self.source_id._analyse(self._get_content())
        self.line_ids.unlink()
        line_model = self.env["sysengage.address.import.line"]
        vals_list = [self._prepare_line_vals(result) for result in results]
        for start in range(0, len(vals_list), PREVIEW_BATCH):
            line_model.create(vals_list[start : start + PREVIEW_BATCH])
            self.env.invalidate_all(flush=True)  # keep the memory flat on large files
        self.state = "preview"
        return self._reopen()

    def action_apply(self):
        self.ensure_one()
        if self.state != "preview":
            raise UserError(self.env._("Preview the import before applying it."))
        # the file is analysed again so that the partners changed since the preview are matched afresh
        results, headers = self.source_id._analyse(self._get_content())
        self.log_id = self.source_id._apply(results, headers, self.filename, origin="wizard")
        self.state = "done"
        return self._reopen()

    def action_back(self):
        self.ensure_one()
        self.line_ids.unlink()
        self.state = "map" if self.state == "preview" else "upload"
        return self._reopen()

    def action_open_log(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sysengage.import.log",
            "res_id": self.log_id.id,
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _get_content(self):
        if not self.file:
            raise UserError(self.env._("Choose a file to import."))
        return base64.b64decode(self.file)

    def _prepare_line_vals(self, result):
        values = result["values"]
        labels = dict(TARGET_FIELD_SELECTION)
        changes = "\n".join(
            f"{labels.get(field, field)}: {old or '∅'} → {new}" for field, (old, new) in result["changes"].items()
        )
        return {
            "wizard_id": self.id,
            "line_number": result["line"],
            "status": result["status"],
            "partner_id": result["partner_id"],
            "match_by": result["match_by"] or False,
            "name": values.get("name"),
            "email": values.get("email"),
            "zip_code": values.get("zip"),
            "city": values.get("city"),
            "changes": changes or False,
            "reason": result["reason"] or False,
        }

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "views": [(False, "form")],
            "target": "new",
            "name": self.env._("Import Addresses"),
        }
