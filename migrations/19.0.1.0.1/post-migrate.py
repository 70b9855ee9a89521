"""Two stored columns became related fields: their columns go.

- The aged balance's customer is read through its journal item: its former column only cost a
  foreign-key check per inserted row and, with no index, a scan of the table at each deletion
  of a customer (aged balances are transient data).
- The invoices' payer class is read from their customer: the copy on every open invoice was
  rewritten by each refresh of the payer profiles.

Odoo leaves the column of a field that stops being stored; ``openupgrade.drop_columns``
drops each one that exists and logs it.
"""

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    openupgrade.drop_columns(
        env.cr,
        [
            ("debt_collection_aged_balance", "partner_id"),
            ("account_move", "debt_payer_class"),
        ],
    )
