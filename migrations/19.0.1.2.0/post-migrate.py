"""An invoice's dunning state moves out of ``account_move`` into its own narrow table.

``debt.collection.invoice.state`` (``_inherits`` of ``account.move``) holds the step, level,
next and last dates and cycle. The upgrade fills it from the old columns as it adds
``account_move.debt_state_id`` (``account.move._init_column``, one row per journal entry, the
values copied); the old columns, and the next-date index with them, go here.
"""

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    openupgrade.drop_columns(
        env.cr,
        [
            ("account_move", column)
            for column in ("debt_step_id", "debt_level", "debt_next_date", "debt_last_date", "debt_cycle")
        ],
    )
