"""A language loaded after the module names the shipped default scenarios in it."""

from odoo import models


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _load_module_terms(self, modules, langs, overwrite=False):
        result = super()._load_module_terms(modules, langs, overwrite=overwrite)
        if "account_debt_collection" in modules and self.env.registry.loaded:
            self.env["res.company"]._debt_name_default_scenarios(langs)
        return result
