from odoo import models
from odoo.exceptions import UserError


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _sysengage_ged_check_uninstall(self):
        if "sysengage_ged" not in self.mapped("name"):
            return
        count = self.env["sysengage.ged.archive"]._ged_within_retention_count()
        if count:
            raise UserError(
                self.env._(
                    "Sysengage GED cannot be uninstalled: %(count)s invoice archives are still within "
                    "their retention period.",
                    count=count,
                )
            )

    def button_uninstall(self):
        # Override: refuse to schedule the uninstall while archives must be kept
        self._sysengage_ged_check_uninstall()
        return super().button_uninstall()

    def module_uninstall(self):
        # Override: last barrier before the tables are dropped (CLI and scripted uninstalls)
        self._sysengage_ged_check_uninstall()
        return super().module_uninstall()
