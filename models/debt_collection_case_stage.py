"""The stages of collection cases, and the kind that says what each stage does."""

from odoo import api, fields, models

#: What a stage means for its cases; the kind decides whether the dunning stops and the case is over.
STAGE_KINDS = [
    ("amicable", "Amicable"),
    ("formal_notice", "Formal Notice"),
    ("plan", "Payment Plan"),
    ("agency", "Agency"),
    ("factor", "Factor"),
    ("court", "Court"),
    ("recovered", "Recovered"),
    ("written_off", "Written Off"),
]
#: Kinds whose cases are in other hands (a plan, an agency, a factor, the court): not reminded.
FREEZING_KINDS = ("plan", "agency", "factor", "court")
CLOSED_KINDS = ("recovered", "written_off")
#: Kinds a Collection User may move a case to, from one of them, by hand (kanban, status bar);
#: every other move is made by a wizard, the daily scheduled action or a Collection Manager.
USER_KINDS = ("amicable", "formal_notice")


class DebtCollectionCaseStage(models.Model):
    _name = "debt.collection.case.stage"
    _description = "Collection Case Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    fold = fields.Boolean(string="Folded in Kanban")
    kind = fields.Selection(
        STAGE_KINDS,
        required=True,
        default="amicable",
        help="What the stage means: a payment plan, an agency, a factor or the court stop the "
        "dunning of the case's invoices; recovered and written off close the case. Only the "
        "wizards, the daily scheduled action and Collection Managers move a case to or from "
        "those stages.",
    )
    is_closed = fields.Boolean(
        compute="_compute_from_kind",
        store=True,
        help="Cases in this stage are over (recovered or written off).",
    )
    freezes_dunning = fields.Boolean(
        compute="_compute_from_kind",
        store=True,
        help="The case is in other hands (payment plan, agency, factor, court): its invoices are not "
        "reminded.",
    )

    @api.depends("kind")
    def _compute_from_kind(self):
        for stage in self:
            stage.is_closed = stage.kind in CLOSED_KINDS
            stage.freezes_dunning = stage.kind in FREEZING_KINDS

    @api.model
    def _debt_of_kind(self, kind):
        """The first stage of ``kind`` (the shipped one unless a manager reordered them)."""
        return self.search([("kind", "=", kind)], limit=1)
