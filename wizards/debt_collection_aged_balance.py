"""The aged balance at a date: its lines, its XLSX export."""

import io

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from odoo import api, fields, models
from odoo.tools import SQL

from ..rules.analytics import BUCKETS

BUCKET_SELECTION = [(key, label) for key, label, _last in BUCKETS]
#: The column of each bucket's amount, in ``BUCKETS`` order.
BUCKET_COLUMNS = dict(
    zip(
        (key for key, _label, _last in BUCKETS),
        ("amount_not_due", "amount_1_30", "amount_31_60", "amount_61_90", "amount_over_90"),
        strict=True,
    )
)


class DebtCollectionAgedBalance(models.TransientModel):
    """One receivable journal item open on the date of an aged balance, with its bucket.

    The rows of one aged balance are written by one ``INSERT ... SELECT`` (see
    :meth:`_fill`); the pivot sums them by customer and bucket, and each figure drills down
    to the rows, which open the journal items that make it up.
    """

    _name = "debt.collection.aged.balance"
    _description = "Aged Balance Line"
    _order = "partner_id, date_maturity, id"
    _rec_name = "move_line_id"

    wizard_id = fields.Many2one(
        "debt.collection.aged.balance.wizard", required=True, ondelete="cascade", index=True
    )
    # Stored: the journal item and what is worked out on the date. Related: the rest, customer
    # included (the pivot groups by it through a join), so that each of the 100,000 rows of an
    # INSERT checks two foreign keys only, its wizard and its journal item (see _fill).
    move_line_id = fields.Many2one("account.move.line", string="Journal Item", readonly=True)
    partner_id = fields.Many2one(related="move_line_id.partner_id.commercial_partner_id", string="Customer")
    move_id = fields.Many2one(related="move_line_id.move_id", string="Entry")
    account_id = fields.Many2one(related="move_line_id.account_id")
    date = fields.Date(related="wizard_id.date", string="At Date")
    company_id = fields.Many2one(related="wizard_id.company_id")
    currency_id = fields.Many2one(related="wizard_id.company_id.currency_id", string="Company Currency")
    line_currency_id = fields.Many2one(related="move_line_id.currency_id", string="Currency")
    date_maturity = fields.Date(string="Due Date", readonly=True)
    days_overdue = fields.Integer(readonly=True, aggregator="max")
    bucket = fields.Selection(BUCKET_SELECTION, readonly=True)
    amount_residual = fields.Monetary(string="Open Amount", readonly=True)
    amount_residual_currency = fields.Monetary(
        string="Open Amount in Currency",
        currency_field="line_currency_id",
        readonly=True,
        help="The open amount in the currency of the invoice (group by currency to add them up).",
    )
    amount_not_due = fields.Monetary(string="Not Due", readonly=True)
    amount_1_30 = fields.Monetary(string="1-30", readonly=True)
    amount_31_60 = fields.Monetary(string="31-60", readonly=True)
    amount_61_90 = fields.Monetary(string="61-90", readonly=True)
    amount_over_90 = fields.Monetary(string="Over 90", readonly=True)

    @api.model
    def _open_lines_query(self, company, at):
        """``SELECT`` of the receivable items of ``company`` open on ``at``, one set-based query.

        Open amount on ``at`` = balance minus the partial reconciliations with
        ``max_date <= at`` (``rules.analytics.open_amount_at``), read the other way round:
        the item's residual today (``amount_residual``: balance minus all its partials) plus
        the partials dated after ``at``, which did not exist yet. Only items dated on or before
        ``at``, still open today or reopened by such a partial: the query reads the open items
        and the partials made after ``at``, not the whole history of partials. The same in the
        item's currency, from ``amount_residual_currency`` and the partials' amounts in it.
        """
        digits = company.currency_id.decimal_places
        bucket_case = SQL(
            "CASE %s END",
            SQL(" ").join(
                SQL("WHEN %s - o.date_maturity <= %s THEN %s", at, last_day, key)
                if last_day is not None
                else SQL("ELSE %s", key)
                for key, _label, last_day in BUCKETS
            ),
        )
        return SQL(
            """
            WITH later AS (
                -- per item, what the partials dated after the date changed in its residual,
                -- signed to undo it: + on its debit side (it was paid), - on its credit side
                -- (it paid another item); in company currency and in the item's
                SELECT side.line_id, SUM(side.amount) AS amount, SUM(side.amount_currency) AS amount_currency
                  FROM account_partial_reconcile p
            CROSS JOIN LATERAL (VALUES (p.debit_move_id, p.amount, p.debit_amount_currency),
                                       (p.credit_move_id, -p.amount, -p.credit_amount_currency))
                       AS side(line_id, amount, amount_currency)
                 WHERE p.max_date > %(at)s
                 GROUP BY side.line_id
            ),
            open_lines AS (
                SELECT aml.id AS move_line_id,
                       aml.move_id,
                       aml.account_id,
                       COALESCE(partner.commercial_partner_id, aml.partner_id) AS partner_id,
                       COALESCE(aml.date_maturity, aml.date) AS date_maturity,
                       ROUND(aml.amount_residual + COALESCE(later.amount, 0), %(digits)s) AS amount_residual,
                       aml.amount_residual_currency + COALESCE(later.amount_currency, 0)
                           AS amount_residual_currency
                  FROM account_move_line aml
                  JOIN account_account account ON account.id = aml.account_id
             LEFT JOIN later ON later.line_id = aml.id
             LEFT JOIN res_partner partner ON partner.id = aml.partner_id
                 WHERE aml.company_id = %(company)s
                   AND account.account_type = 'asset_receivable'
                   AND aml.parent_state = 'posted'
                   AND aml.date <= %(at)s
                   AND (aml.reconciled IS NOT TRUE OR later.line_id IS NOT NULL)
            )
            SELECT o.*, %(at)s - o.date_maturity AS days_overdue, %(bucket)s AS bucket
              FROM open_lines o
             WHERE o.amount_residual != 0
            """,
            at=at,
            company=company.id,
            digits=digits,
            bucket=bucket_case,
        )

    @api.model
    def _fill(self, wizard):
        """Write the rows of ``wizard``'s aged balance in one ``INSERT ... SELECT``.

        Foreign-key checks are most of the cost of 100,000 rows (one lookup per row and key):
        the rows store two (wizard, journal item), the customer is related, and
        ``create_uid``/``write_uid`` stay empty (who asked is the wizard's ``create_uid``).
        """
        for model, fnames in {
            "account.move.line": [
                "amount_residual",
                "amount_residual_currency",
                "currency_id",
                "date",
                "date_maturity",
                "reconciled",
                "parent_state",
                "partner_id",
                "account_id",
                "company_id",
                "move_id",
            ],
            "account.partial.reconcile": [
                "amount",
                "debit_amount_currency",
                "credit_amount_currency",
                "max_date",
                "debit_move_id",
                "credit_move_id",
            ],
            "res.partner": ["commercial_partner_id"],
        }.items():
            self.env[model].flush_model(fnames)
        self.flush_model()
        self.env.cr.execute(SQL("DELETE FROM debt_collection_aged_balance WHERE wizard_id = %s", wizard.id))
        bucket_columns = SQL(", ").join(SQL.identifier(BUCKET_COLUMNS[key]) for key, _label, _last in BUCKETS)
        bucket_values = SQL(", ").join(
            SQL("CASE WHEN q.bucket = %s THEN q.amount_residual ELSE 0 END", key)
            for key, _label, _last in BUCKETS
        )
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO debt_collection_aged_balance (
                    wizard_id, move_line_id, date_maturity, days_overdue, bucket,
                    amount_residual, amount_residual_currency, %(bucket_columns)s, create_date, write_date)
                SELECT %(wizard)s, q.move_line_id, q.date_maturity, q.days_overdue,
                       q.bucket, q.amount_residual, q.amount_residual_currency, %(bucket_values)s,
                       NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC'
                  FROM (%(query)s) q
                """,
                bucket_columns=bucket_columns,
                bucket_values=bucket_values,
                wizard=wizard.id,
                query=self._open_lines_query(wizard.company_id, wizard.date),
            )
        )
        count = self.env.cr.rowcount
        self.invalidate_model()
        wizard.invalidate_recordset(["line_ids"])
        return count

    def action_open_move_lines(self):
        """The journal items behind the selected figures."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Journal Items"),
            "res_model": "account.move.line",
            "view_mode": "list,form",
            "domain": [("id", "in", self.move_line_id.ids)],
            "context": {"create": False},
        }


class DebtCollectionAgedBalanceWizard(models.TransientModel):
    _name = "debt.collection.aged.balance.wizard"
    _description = "Aged Balance"

    date = fields.Date(string="At Date", required=True, default=fields.Date.context_today)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )
    line_ids = fields.One2many("debt.collection.aged.balance", "wizard_id", readonly=True)

    def _fill_lines(self):
        self.ensure_one()
        return self.env["debt.collection.aged.balance"]._fill(self)

    def action_open(self):
        """Compute the aged balance at the date and open it as a pivot."""
        self._fill_lines()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Aged Balance at %(date)s", date=fields.Date.to_string(self.date)),
            "res_model": "debt.collection.aged.balance",
            "view_mode": "pivot,list,graph",
            "views": [
                (self.env.ref("account_debt_collection.view_debt_collection_aged_balance_pivot").id, "pivot"),
                (self.env.ref("account_debt_collection.view_debt_collection_aged_balance_list").id, "list"),
                (self.env.ref("account_debt_collection.view_debt_collection_aged_balance_graph").id, "graph"),
            ],
            "domain": [("wizard_id", "=", self.id)],
            "context": {"create": False},
        }

    def _partner_rows(self):
        """``[(partner, {bucket_key: amount}, total)]`` sorted by customer name, one read_group."""
        self.ensure_one()
        aggregates = [f"{BUCKET_COLUMNS[key]}:sum" for key, _label, _last in BUCKETS]
        groups = self.env["debt.collection.aged.balance"]._read_group(
            [("wizard_id", "=", self.id)], ["partner_id"], [*aggregates, "amount_residual:sum"]
        )
        rows = [
            (partner, dict(zip((key for key, _l, _d in BUCKETS), values[:-1], strict=True)), values[-1])
            for partner, *values in groups
        ]
        return sorted(rows, key=lambda row: ((row[0].display_name or "").lower(), row[0].id))

    def _currency_rows(self):
        """``{currency: [(partner, {bucket_key: amount}, total)]}``: the aged balance in each
        invoice currency, by customer (one read_group), currencies and customers by name."""
        self.ensure_one()
        groups = self.env["debt.collection.aged.balance"]._read_group(
            [("wizard_id", "=", self.id)],
            ["line_currency_id", "partner_id", "bucket"],
            ["amount_residual_currency:sum"],
        )
        by_currency = {}
        for currency, partner, bucket, amount in groups:
            rows = by_currency.setdefault(currency, {})
            buckets = rows.setdefault(partner, dict.fromkeys((key for key, _l, _d in BUCKETS), 0.0))
            buckets[bucket] += amount
        return {
            currency: sorted(
                ((partner, buckets, sum(buckets.values())) for partner, buckets in rows.items()),
                key=lambda row: ((row[0].display_name or "").lower(), row[0].id),
            )
            for currency, rows in sorted(by_currency.items(), key=lambda item: item[0].name or "")
        }

    def action_export_xlsx(self):
        """Compute the aged balance and download it as an XLSX file.

        The file is an attachment of its own, not a report bound to this wizard: it stays
        downloadable after the wizard is vacuumed.
        """
        self._fill_lines()
        attachment = self.env["ir.attachment"].create(
            {
                "name": self._xlsx_filename(),
                "raw": self._xlsx_content(),
                "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def _xlsx_filename(self):
        return f"aged_balance_{self.company_id.name}_{fields.Date.to_string(self.date)}.xlsx".replace(
            " ", "_"
        )

    def _xlsx_content(self):
        """The aged balance as an accountant files it: header, one row per customer, totals."""
        self.ensure_one()
        labels = dict(
            self.env["debt.collection.aged.balance"]._fields["bucket"]._description_selection(self.env)
        )
        currency = self.company_id.currency_id
        money = "#,##0." + "0" * currency.decimal_places if currency.decimal_places else "#,##0"
        buffer = io.BytesIO()
        with xlsxwriter.Workbook(buffer, {"in_memory": True}) as workbook:
            title = workbook.add_format({"bold": True, "font_size": 14})
            bold = workbook.add_format({"bold": True})
            date_format = workbook.add_format({"num_format": "yyyy-mm-dd", "align": "left", "bold": True})
            header = workbook.add_format(
                {"bold": True, "bottom": 1, "bg_color": "#D9D9D9", "text_wrap": True}
            )
            header_num = workbook.add_format(
                {"bold": True, "bottom": 1, "bg_color": "#D9D9D9", "align": "right"}
            )
            amount = workbook.add_format({"num_format": money})
            total = workbook.add_format({"num_format": money, "bold": True, "top": 1})
            total_label = workbook.add_format({"bold": True, "top": 1})

            styles = {
                "title": title,
                "bold": bold,
                "date": date_format,
                "header": header,
                "header_num": header_num,
            }
            header_row = 4
            sheet, columns = self._xlsx_sheet(
                workbook, self.env._("Aged Balance"), styles, labels, header_row, self.env._("VAT"), 18
            )
            sheet.write(2, 0, self.env._("Currency"), bold)
            sheet.write(2, 1, currency.name)

            rows = self._partner_rows()
            row = header_row
            for row, (partner, buckets, line_total) in enumerate(rows, start=header_row + 1):
                sheet.write(row, 0, partner.display_name or self.env._("No customer"))
                sheet.write(row, 1, partner.vat or "")
                for col, (key, _label, _last) in enumerate(BUCKETS, start=2):
                    sheet.write_number(row, col, buckets[key], amount)
                sheet.write_number(row, len(columns) - 1, line_total, amount)

            total_row = row + 1
            sheet.write(total_row, 0, self.env._("Total"), total_label)
            sheet.write(total_row, 1, "", total_label)
            for col, value in enumerate(_column_totals(rows), start=2):
                if rows:
                    letter = xl_col_to_name(col)
                    sheet.write_formula(
                        total_row,
                        col,
                        f"=SUM({letter}{header_row + 2}:{letter}{total_row})",
                        total,
                        currency.round(value),
                    )
                else:
                    sheet.write_number(total_row, col, 0.0, total)
            sheet.autofilter(header_row, 0, max(total_row - 1, header_row), len(columns) - 1)
            self._xlsx_currency_sheet(workbook, styles, labels)
        return buffer.getvalue()

    def _xlsx_sheet(self, workbook, name, styles, labels, header_row, second_column, second_width):
        """A sheet of the aged balance: the company, the date, then the header of its columns
        (customer, ``second_column``, the age buckets, total). Returns it and its column names."""
        sheet = workbook.add_worksheet(name[:31])
        sheet.write(0, 0, self.company_id.name, styles["title"])
        sheet.write(1, 0, self.env._("Aged balance at"), styles["bold"])
        sheet.write_datetime(1, 1, fields.Datetime.to_datetime(self.date), styles["date"])
        columns = [self.env._("Customer"), second_column]
        columns += [labels[key] for key, _label, _last in BUCKETS] + [self.env._("Total")]
        for col, column in enumerate(columns):
            sheet.write(header_row, col, column, styles["header"] if col < 2 else styles["header_num"])
        sheet.freeze_panes(header_row + 1, 1)
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, 1, second_width)
        sheet.set_column(2, len(columns) - 1, 14)
        return sheet, columns

    def _xlsx_currency_sheet(self, workbook, styles, labels):
        """The same aged balance in each invoice's currency: a block of customers per currency,
        each closed by its total (formulas, with their values cached for every spreadsheet)."""
        header_row = 3
        sheet, columns = self._xlsx_sheet(
            workbook, self.env._("By Currency"), styles, labels, header_row, self.env._("Currency"), 10
        )
        row = header_row
        for currency, rows in self._currency_rows().items():
            places = currency.decimal_places
            money = "#,##0." + "0" * places if places else "#,##0"
            amount = workbook.add_format({"num_format": money})
            total = workbook.add_format({"num_format": money, "bold": True, "top": 1})
            total_label = workbook.add_format({"bold": True, "top": 1})
            first = row + 1
            for row, (partner, buckets, line_total) in enumerate(rows, start=first):
                sheet.write(row, 0, partner.display_name or self.env._("No customer"))
                sheet.write(row, 1, currency.name)
                for col, (key, _label, _last) in enumerate(BUCKETS, start=2):
                    sheet.write_number(row, col, currency.round(buckets[key]), amount)
                sheet.write_number(row, len(columns) - 1, currency.round(line_total), amount)
            row += 1
            sheet.write(row, 0, self.env._("Total %(currency)s", currency=currency.name), total_label)
            sheet.write(row, 1, currency.name, total_label)
            for col, value in enumerate(_column_totals(rows), start=2):
                letter = xl_col_to_name(col)
                sheet.write_formula(
                    row, col, f"=SUM({letter}{first + 1}:{letter}{row})", total, currency.round(value)
                )
            row += 1

    def action_open_move_lines(self):
        """All the journal items of this aged balance."""
        return self.line_ids.action_open_move_lines()


def _column_totals(rows):
    """The totals of ``rows`` ``(partner, buckets, total)``: each bucket's, in order, then the total's."""
    return [sum(buckets[key] for _p, buckets, _t in rows) for key, _label, _last in BUCKETS] + [
        sum(line_total for _p, _b, line_total in rows)
    ]
