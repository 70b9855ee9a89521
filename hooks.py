from odoo.tools import sql


def pre_init_hook(env):
    """Create the computed dispute and promise columns of invoices empty.

    No invoice has a dispute or a promise before the module is installed: creating the
    columns first spares the install a computation of every journal entry, row by row.
    """
    for column, column_type in [("debt_dispute", "boolean"), ("debt_promise_date", "date")]:
        if not sql.column_exists(env.cr, "account_move", column):
            sql.create_column(env.cr, "account_move", column, column_type)


def post_init_hook(env):
    """Every existing company gets the default French dunning scenario."""
    env["res.company"].search([])._debt_create_default_scenario()
