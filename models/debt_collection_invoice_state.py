"""Where an invoice stands in its dunning, in a narrow table of its own.

``account.move`` reads and writes these fields as its own (``_inherits``, as a product variant
its template's): they are searched, grouped and sorted on invoices, in the views and in the
ORM, as before. They are kept apart because the daily run rewrites them for every invoice it
reviews, tens of thousands a night: an ``account_move`` row carries 32 indexes, all rewritten
at each update of its row (full pages leave PostgreSQL no update in place), where this row
carries three.

Every journal entry gets its state when it is created (``account.move.create``, as superuser:
no user writes a state), and loses it when it is deleted. A state is seen by whoever sees its
entry's company (``security/debt_collection_rules.xml``).
"""

from odoo import fields, models

from .debt_collection_access import INTERNAL, SYSTEM


class DebtCollectionInvoiceState(models.Model):
    _name = "debt.collection.invoice.state"
    _inherit = ["debt.collection.access.mixin"]
    _description = "Invoice Dunning State"

    # its one entry, for the record rule (``account.move`` inherits this field too: a distinct name)
    debt_move_ids = fields.One2many(
        "account.move", "debt_state_id", string="Entry of the Dunning State", groups=INTERNAL
    )
    debt_step_id = fields.Many2one(
        "debt.collection.step",
        string="Dunning Step",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
        help="Last dunning step this invoice went through.",
        groups=INTERNAL,
        debt_write=SYSTEM,
    )
    debt_level = fields.Integer(
        string="Dunning Level",
        readonly=True,
        copy=False,
        help="Rank of the last dunning step in the scenario (0: not reminded yet).",
        groups=INTERNAL,
        debt_write=SYSTEM,
    )
    debt_next_date = fields.Date(
        string="Next Dunning Action",
        readonly=True,
        copy=False,
        help="First day the next step of the scenario may be taken.",
        groups=INTERNAL,
        debt_write=SYSTEM,
    )
    debt_last_date = fields.Date(
        string="Last Dunning Action", readonly=True, copy=False, groups=INTERNAL, debt_write=SYSTEM
    )
    debt_cycle = fields.Integer(
        string="Dunning Cycle",
        readonly=True,
        copy=False,
        help="Incremented when dunning restarts.",
        groups=INTERNAL,
        debt_write=SYSTEM,
    )

    _debt_next_date_idx = models.Index("(debt_next_date) WHERE debt_next_date IS NOT NULL")
