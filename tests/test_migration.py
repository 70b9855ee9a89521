import logging

from odoo.modules.migration import exec_script
from odoo.tests import tagged
from odoo.tools import sql
from odoo.tools.misc import file_path

from .common import DebtCollectionCommon, day

MODULE = "account_debt_collection"
TO_19_0_1_0_1 = f"{MODULE}/migrations/19.0.1.0.1/post-migrate.py"


@tagged("post_install", "-at_install")
class TestMigration(DebtCollectionCommon):
    """An upgrade from 19.0.1.0.0: that version's schema, then the script as Odoo runs it."""

    def setUp(self):
        super().setUp()
        self.cr = self.env.cr
        self.customer.sudo().debt_payer_class = "C"
        self.late = self.invoice(1000.0, due=day(-40))
        # 19.0.1.0.0 stored the invoice's payer class (a copy, left stale by a later refresh)
        # and the aged balance's customer (nullable, with its foreign key and no index)
        sql.create_column(self.cr, "account_move", "debt_payer_class", "varchar")
        sql.create_column(self.cr, "debt_collection_aged_balance", "partner_id", "int4")
        sql.add_foreign_key(
            self.cr, "debt_collection_aged_balance", "partner_id", "res_partner", "id", "set null"
        )
        self.cr.execute("UPDATE account_move SET debt_payer_class = 'A' WHERE id = %s", [self.late.id])
        self.wizard = self.env["debt.collection.aged.balance.wizard"].create(
            {"date": day(0), "company_id": self.company.id}
        )
        self.wizard._compute_lines()
        self.cr.execute(
            "UPDATE debt_collection_aged_balance SET partner_id = %s WHERE wizard_id = %s",
            [self.customer.id, self.wizard.id],
        )

    def upgrade(self):
        self.env.invalidate_all()
        exec_script(self.cr, "19.0.1.0.0", file_path(TO_19_0_1_0_1), MODULE, "post")

    def test_upgrade_drops_the_stored_copies(self):
        with self.assertLogs("OpenUpgrade", logging.INFO) as logged:
            self.upgrade()
        self.assertFalse(sql.column_exists(self.cr, "account_move", "debt_payer_class"))
        self.assertFalse(sql.column_exists(self.cr, "debt_collection_aged_balance", "partner_id"))
        self.assertIn("INFO:OpenUpgrade:table account_move: drop column debt_payer_class", logged.output)
        # what users read comes from the customer now, not from the dropped copies
        self.assertEqual(self.late.debt_payer_class, "C")
        line = self.wizard.line_ids.filtered(lambda row: row.move_id == self.late)
        self.assertEqual(line.partner_id, self.customer)
        self.assertEqual(line.amount_residual, 1000.0)

    def test_upgrade_twice_changes_nothing(self):
        self.upgrade()
        columns = sql.table_columns(self.cr, "account_move")
        with self.assertLogs("OpenUpgrade", logging.WARNING) as logged:
            self.upgrade()
        self.assertEqual(sql.table_columns(self.cr, "account_move"), columns)
        self.assertIn(
            "WARNING:OpenUpgrade:table account_move: column debt_payer_class did not exist",
            logged.output,
        )
