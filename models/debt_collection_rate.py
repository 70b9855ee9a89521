"""The published rates of the late-payment law, and the monthly check that they are up to date."""

from datetime import timedelta

import babel.numbers

from odoo import api, fields, models
from odoo.tools import format_date
from odoo.tools.misc import babel_locale_parse, get_lang

from ..rules import legal
from ..rules.legal import RateTable, next_half_year_start

RATE_KINDS = [
    (legal.ECB_REFI, "ECB Main Refinancing Rate"),
    (legal.LEGAL_PRIVATE, "Legal Interest Rate (Creditor a Private Person)"),
    (legal.LEGAL_OTHER, "Legal Interest Rate (Other Creditors)"),
]

#: Days before a half-year from which the managers are told its rows are missing.
MISSING_RATES_NOTICE_DAYS = 15


class DebtCollectionRate(models.Model):
    """A published rate used by the late-payment law, in force from ``date_from`` on.

    One row per kind and half-year (1 January, 1 July), even when the rate does not change:
    a half-year with no row is computed with the latest rate, and every figure says so.
    """

    _name = "debt.collection.rate"
    _description = "Late-Payment Reference Rate"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "kind, date_from desc"

    name = fields.Char(required=True)
    kind = fields.Selection(RATE_KINDS, required=True)
    date_from = fields.Date(
        string="In Force From",
        required=True,
        help="First day of the half-year (1 January or 1 July) the rate applies to.",
    )
    rate = fields.Float(string="Rate (%)", digits=(5, 2), required=True, help="Annual rate, in percent.")
    source = fields.Char(help="Where the rate was published (Journal officiel, ECB press release).")

    _kind_date_uniq = models.Constraint(
        "UNIQUE(kind, date_from)",
        "There is already a rate of this kind in force from this date.",
    )

    @api.model
    def _rate_table(self):
        """All the rates, as the late-payment rules read them (a few rows a year: no limit)."""
        rows = self.search_read([], ["kind", "date_from", "rate"])  # pylint: disable=no-search-all
        return RateTable((row["kind"], row["date_from"], row["rate"]) for row in rows)

    # ------------------------------------------------------------------ wording

    @api.model
    def _format_rate(self, rate, lang_code=None):
        """``rate`` (a percentage) as its reader writes it: "12,15 %" in French, "12.15%" in English."""
        locale = babel_locale_parse(lang_code or get_lang(self.env).code)
        pattern = locale.percent_formats[None].pattern.replace("#,##0", "#,##0.00##", 1)
        return babel.numbers.format_percent(rate / 100, pattern, locale=locale, decimal_quantization=False)

    @api.model
    def _kind_label(self, kind):
        return dict(self._fields["kind"]._description_selection(self.env)).get(kind, kind)

    @api.model
    def _notice_text(self, notice):
        """A ``rules.legal.Notice`` (a stale or missing rate, a floor applied) in the current language."""
        values = {
            "kind": self._kind_label(notice.kind) if notice.kind else "",
            "half_year": format_date(self.env, notice.half_year) if notice.half_year else "",
            "date": format_date(self.env, notice.date_from) if notice.date_from else "",
            "rate": self._format_rate(notice.rate) if notice.rate is not None else "",
            "floor": self._format_rate(notice.floor) if notice.floor is not None else "",
        }
        texts = {
            legal.RATE_CARRIED_OVER: self.env._(
                "No %(kind)s for the half-year starting %(half_year)s: the rate of %(date)s (%(rate)s) "
                "was carried over. Add the published rate to correct the figures.",
                **values,
            ),
            legal.RATE_MISSING: self.env._(
                "No %(kind)s for the half-year starting %(half_year)s: its days bear no interest until the "
                "rate is added (Accounting > Configuration > Late-Payment Rates).",
                **values,
            ),
            legal.FLOOR_APPLIED: self.env._(
                "The contractual late-payment rate of %(rate)s is below the legal floor of %(floor)s (3 "
                "times the legal interest rate) for the half-year starting %(half_year)s: the floor applies.",
                **values,
            ),
            legal.FLOOR_UNCHECKED: self.env._(
                "No legal interest rate for the half-year starting %(half_year)s to check the contractual "
                "rate of %(rate)s against its floor: the contractual rate was used as it is.",
                **values,
            ),
            legal.CONTRACTUAL_RATE_IGNORED: self.env._(
                "The contractual late-payment rate does not apply to this debtor: the rate set by law "
                "was used."
            ),
        }
        return texts[notice.code]

    # ------------------------------------------------------------------ missing rates

    @api.model
    def _needed_kinds(self):
        """The kinds of rate the companies' penalties read."""
        kinds = [legal.ECB_REFI, legal.LEGAL_OTHER]
        if self.env["res.company"].sudo().search_count([("debt_creditor_is_private", "=", True)], limit=1):
            kinds.append(legal.LEGAL_PRIVATE)
        return kinds

    @api.model
    def _cron_check_next_half_year(self):
        """Monthly: tell the Collection Managers when the next half-year's rates are missing.

        From ``MISSING_RATES_NOTICE_DAYS`` days before 1 January or 1 July, each manager gets a
        to-do on the latest rate row, once, listing the kinds still missing.
        """
        today = fields.Date.context_today(self)
        next_start = next_half_year_start(today)
        if (next_start - today).days > MISSING_RATES_NOTICE_DAYS:
            return
        table = self._rate_table()
        missing = [kind for kind in self._needed_kinds() if not table.has_row(kind, next_start)]
        latest = self.search([], order="date_from desc, id desc", limit=1)
        if not missing or not latest:
            return
        summary = self.env._(
            "Late-payment rates from %(date)s missing", date=format_date(self.env, next_start)
        )
        if latest.activity_ids.filtered(lambda activity: activity.summary == summary):
            return
        note = self.env._(
            "Add the rates in force from %(date)s before that day: %(kinds)s. Until then, the interest of "
            "that half-year is computed with the latest known rates and every letter and event says so.",
            date=format_date(self.env, next_start),
            kinds=", ".join(self._kind_label(kind) for kind in missing),
        )
        managers = self.env.ref("account_debt_collection.group_debt_collection_manager").sudo().all_user_ids
        for manager in managers.filtered(lambda user: not user.share):
            latest.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=next_start - timedelta(days=1),
                summary=summary,
                note=note,
                user_id=manager.id,
            )
