from dataclasses import replace

from odoo import models

from odoo.addons.sysengage_base.tools.report_options import get_options


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _sysengage_ged_rendering(self, data=None):
        # Extends sysengage_ged: the options of the suite's report pipeline (sysengage_base, set by server
        # code only) say which event a rendering is and whether it is a fresh one, not archived
        rendering = super()._sysengage_ged_rendering(data)
        options = get_options(data or {})
        if options.archive_event:
            rendering = replace(rendering, event=options.archive_event)
        if options.fresh_render:
            rendering = replace(rendering, fresh=True, archive=False)
        return rendering
