"""Letter channels: letters wait in the "To print" list, printed many at a time as one PDF."""

from odoo import models


class DebtCollectionRun(models.AbstractModel):
    _inherit = "debt.collection.run"

    def _dispatch_letter(self, events):
        """Nothing to do now: the event waits, ``to_print``, for the Print button."""

    _dispatch_registered_letter = _dispatch_letter
