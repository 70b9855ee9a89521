"""Two stored columns became related fields.

- The aged balance's customer is read through its journal item: its former column only cost a
  foreign-key check per inserted row and, with no index, a scan of the table at each deletion
  of a customer (aged balances are transient data).
- The invoices' payer class is read from their customer: the copy on every open invoice was
  rewritten by each refresh of the payer profiles.
"""


def migrate(cr, version):
    cr.execute("ALTER TABLE debt_collection_aged_balance DROP COLUMN IF EXISTS partner_id")
    cr.execute("ALTER TABLE account_move DROP COLUMN IF EXISTS debt_payer_class")
