from odoo import models


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _load_module_terms(self, modules, langs, overwrite=False):
        # Override of base: the default reminder levels copied for the other companies (at install, before any
        # translation is loaded) take the translations of the main company's levels they were copied from, at
        # install and whenever a language is added later
        result = super()._load_module_terms(modules, langs, overwrite=overwrite)
        if "sysengage_einvoice" in modules:
            self.env["sysengage.reminder.level"]._sync_default_translations(langs)
        return result
