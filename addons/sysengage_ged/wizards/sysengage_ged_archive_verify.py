from markupsafe import Markup, escape

from odoo import fields, models

_ICONS = {
    "ok": "fa-check text-success",
    "warning": "fa-exclamation-triangle text-warning",
    "error": "fa-times text-danger",
}


class SysengageGedArchiveVerify(models.TransientModel):
    _name = "sysengage.ged.archive.verify"
    _description = "Archive Verification Result"

    archive_ids = fields.Many2many("sysengage.ged.archive", string="Archives", readonly=True)
    result = fields.Html(readonly=True, sanitize=False)
    error_count = fields.Integer(readonly=True)
    warning_count = fields.Integer(readonly=True)

    def _ged_open(self, report):
        """Show ``{archive: [(level, message)]}`` (from the archive verification) in a dialog."""
        rows = []
        errors = warnings = 0
        for archive, findings in report.items():
            items = Markup("").join(
                Markup('<li><i class="fa %s me-1"></i>%s</li>') % (_ICONS[level], message)
                for level, message in findings
            )
            title = escape(archive.name) if archive else escape(self.env._("Company chain"))
            rows.append(Markup("<h5>%s</h5><ul class='list-unstyled'>%s</ul>") % (title, items))
            errors += sum(1 for level, _msg in findings if level == "error")
            warnings += sum(1 for level, _msg in findings if level == "warning")
        archives = (
            self.env["sysengage.ged.archive"].union(*report.keys()) if report else self.env["sysengage.ged.archive"]
        )
        wizard = self.create(
            {
                "archive_ids": [fields.Command.set(archives.ids)],
                "result": Markup("").join(rows),
                "error_count": errors,
                "warning_count": warnings,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Verification"),
            "res_model": self._name,
            "res_id": wizard.id,
            "views": [(False, "form")],
            "target": "new",
        }
