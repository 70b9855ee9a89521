from odoo.tools import SQL


def pre_init_hook(env):
    """Create the computed dispute and promise columns of invoices empty.

    No invoice has a dispute or a promise before the module is installed: creating the
    columns first spares the install a computation of every journal entry, row by row.
    """
    env.cr.execute(
        SQL(
            "ALTER TABLE account_move ADD COLUMN IF NOT EXISTS debt_dispute boolean, "
            "ADD COLUMN IF NOT EXISTS debt_promise_date date"
        )
    )


def post_init_hook(env):
    """Every existing company gets the default French dunning scenario."""
    env["res.company"].search([])._debt_create_default_scenario()
