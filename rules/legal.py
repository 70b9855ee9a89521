"""French late-payment law: late interest and the fixed recovery indemnity.

Between professionals (Code de commerce L441-10 II, D441-5), late interest is due without any
reminder from the day after the due date, at the contractual rate or, by default, at the ECB
main refinancing rate in force on 1 January (for January-June) or on 1 July (for July-December)
plus 10 points. A contractual rate may not be below three times the legal interest rate. A
professional debtor also owes a fixed 40 EUR recovery indemnity per late invoice, not subject
to VAT.

A consumer debtor owes interest at the legal interest rate, and only from the formal notice
(Code civil 1231-6 and 1344-1); neither the 40 EUR indemnity nor collection fees may be
charged to them (Code des procédures civiles d'exécution L111-8). The legal rate is the one
"for creditors who are private persons" when the creditor is one, else the one "for other
cases".

Conventions used throughout:

* Days: interest is simple, on calendar days over 365, leap years included. Interest accrues
  on each day *after* a start date (the due date, or the formal notice date) up to and
  including the end date: N days = ``(to_date - start).days``.
* Periods: interest is computed period by period; periods end on 30 June and 31 December
  (the rate changes by half-year) and on payment dates.
* Payments: a payment on day D is counted as made at the end of day D: the principal is
  reduced from day D + 1 on, so day D still bears interest on the unpaid amount. A payment
  on the due date therefore stops all interest on the amount paid, and a payment the day
  after the due date bears one day of interest.
* Rounding: each period's amount is rounded to the cent (ROUND_HALF_UP) and the total is the
  sum of the rounded periods, so that the periods printed on a statement add up to its total.
  Rates are never rounded.
* Rates are percentages (``Decimal("2.15")`` means 2.15 % a year). They come from a
  ``RateTable`` given by the caller, never from this module.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

ECB_REFI = "ecb_refi"
LEGAL_PRIVATE = "legal_private"
LEGAL_OTHER = "legal_other"
RATE_KINDS = {
    ECB_REFI: "ECB refinancing rate",
    LEGAL_PRIVATE: "legal interest rate for creditors who are private persons",
    LEGAL_OTHER: "legal interest rate for other creditors",
}

ECB_MARGIN = Decimal("10")  # percentage points added to the ECB rate (L441-10 II)
LEGAL_FLOOR_FACTOR = 3  # a contractual rate may not be below 3 x the legal interest rate
RECOVERY_INDEMNITY = Decimal("40.00")  # per late invoice, professional debtors only (D441-5)
DAYS_PER_YEAR = 365
CENT = Decimal("0.01")

Number = int | float | Decimal


class RateBelowLegalFloor(ValueError):
    """A contractual late-payment rate below three times the legal interest rate."""

    def __init__(self, rate: Decimal, floor: Decimal, legal_rate: Decimal):
        self.rate, self.floor, self.legal_rate = rate, floor, legal_rate
        super().__init__(
            f"The contractual late-payment rate {format_rate(rate)} is below the legal floor of "
            f"{format_rate(floor)} ({LEGAL_FLOOR_FACTOR} \N{MULTIPLICATION SIGN} the legal interest rate of "
            f"{format_rate(legal_rate)})."
        )


class RateNotFound(LookupError):
    """The rate table has no rate of the requested kind in force on the requested date."""


def to_decimal(value: Number, what: str) -> Decimal:
    """``value`` as a Decimal; a float is read through its shortest repr (``2.15`` -> ``2.15``)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"The {what} must be a number, not {value!r}.")
    result = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not result.is_finite():
        raise ValueError(f"The {what} must be a finite number, not {value!r}.")
    return result


def format_rate(rate: Decimal) -> str:
    """``"2.15 %"``: at least two decimals, more only if the rate has them."""
    if rate.as_tuple().exponent >= -2:
        rate = rate.quantize(CENT)
    return f"{rate} %"


def half_year_start(day: date) -> date:
    """1 January or 1 July: the start of the half-year holding ``day``."""
    return date(day.year, 1 if day.month <= 6 else 7, 1)


def next_half_year_start(day: date) -> date:
    return date(day.year, 7, 1) if day.month <= 6 else date(day.year + 1, 1, 1)


@dataclass(frozen=True)
class RateLookup:
    """The rate of ``kind`` in force for the half-year starting ``half_year``.

    ``is_stale`` is set when the table holds nothing for that half-year or later: the latest
    known rate, dated ``date_from`` (before ``half_year``), was used in its place.
    """

    kind: str
    half_year: date
    rate: Decimal
    date_from: date
    is_stale: bool

    @property
    def warning(self) -> str | None:
        if not self.is_stale:
            return None
        return (
            f"No {RATE_KINDS[self.kind]} for the half-year starting {self.half_year.isoformat()}: "
            f"the rate of {self.date_from.isoformat()} ({format_rate(self.rate)}) was used."
        )


class RateTable:
    """Published rates, from rows ``(kind, date_from, rate_percent)``.

    ``kind`` is one of ``RATE_KINDS``. A row holds from its ``date_from`` until the next row of
    the same kind. Rows are expected on 1 January and 1 July, one per half-year, but any date
    works: the rate of a half-year is the one in force on its first day.
    """

    def __init__(self, rows: Iterable[tuple[str, date, Number]]):
        by_kind: dict[str, dict[date, Decimal]] = {kind: {} for kind in RATE_KINDS}
        for kind, date_from, rate in rows:
            if kind not in RATE_KINDS:
                raise ValueError(f"Unknown rate kind {kind!r}: expected one of {', '.join(RATE_KINDS)}.")
            if date_from in by_kind[kind]:
                raise ValueError(f"Two {RATE_KINDS[kind]} rows start on {date_from.isoformat()}.")
            by_kind[kind][date_from] = to_decimal(rate, RATE_KINDS[kind])
        self._rows = {kind: sorted(rates.items()) for kind, rates in by_kind.items()}

    def lookup(self, kind: str, on_date: date) -> RateLookup:
        """The rate of ``kind`` for the half-year holding ``on_date``.

        That is the row with the greatest ``date_from`` on or before the half-year's first day.
        Raise ``RateNotFound`` when every row of ``kind`` is later than that.
        """
        if kind not in RATE_KINDS:
            raise ValueError(f"Unknown rate kind {kind!r}: expected one of {', '.join(RATE_KINDS)}.")
        start = half_year_start(on_date)
        rows = self._rows[kind]
        earlier = [row for row in rows if row[0] <= start]
        if not earlier:
            raise RateNotFound(f"No {RATE_KINDS[kind]} for the half-year starting {start.isoformat()}.")
        date_from, rate = earlier[-1]
        is_stale = date_from < start and len(earlier) == len(rows)
        return RateLookup(kind, start, rate, date_from, is_stale)


@dataclass(frozen=True)
class InterestPeriod:
    """Interest on ``base`` at ``rate`` % a year, for the days ``date_from`` to ``date_to`` included."""

    date_from: date
    date_to: date
    days: int
    base: Decimal
    rate: Decimal
    amount: Decimal


@dataclass(frozen=True)
class InterestResult:
    amount: Decimal
    periods: tuple[InterestPeriod, ...] = ()
    warnings: tuple[str, ...] = ()  # stale rates, ignored inputs: to show to the user


def check_contractual_rate(rate: Number, legal_rate: Number) -> Decimal:
    """Return ``rate`` as a Decimal, or raise ``RateBelowLegalFloor`` (L441-10 II).

    A rate equal to the floor is accepted: the law forbids only a rate "inférieur" to it.
    """
    rate, legal_rate = to_decimal(rate, "contractual rate"), to_decimal(legal_rate, "legal rate")
    floor = LEGAL_FLOOR_FACTOR * legal_rate
    if rate < floor:
        raise RateBelowLegalFloor(rate, floor, legal_rate)
    return rate


def recovery_indemnity(debtor_is_consumer: bool, days_late: int) -> Decimal:
    """The fixed recovery indemnity of one invoice (D441-5): 40 EUR, not subject to VAT.

    Due by a professional debtor as soon as the invoice is one day late; never by a consumer.
    """
    if debtor_is_consumer or days_late < 1:
        return Decimal("0.00")
    return RECOVERY_INDEMNITY


def late_interest(
    principal: Number,
    due_date: date,
    to_date: date,
    *,
    table: RateTable,
    contractual_rate: Number | None = None,
    payments: Iterable[tuple[date, Number]] = (),
    debtor_is_consumer: bool = False,
    creditor_is_private: bool = False,
    formal_notice_date: date | None = None,
) -> InterestResult:
    """Late interest on ``principal`` due on ``due_date``, accrued up to ``to_date`` included.

    Professional debtor: from the day after ``due_date``, at ``contractual_rate`` (checked
    against the floor of 3 x the legal rate "for other cases" of the due date's half-year) or
    at the ECB rate of each half-year + 10 points. ``formal_notice_date`` plays no part.

    Consumer debtor: from the day after ``formal_notice_date`` (or after ``due_date`` if the
    notice came first), at the legal rate of each half-year; none without a formal notice. A
    contractual rate is not applied: the legal rate is used and a warning says so.

    ``payments`` are ``(date, amount)`` pairs; see the module docstring for their convention.
    A ``to_date`` on or before the start gives zero interest. Raise ``ValueError`` on a negative
    principal or payment, or payments above the principal; ``RateBelowLegalFloor`` on a
    contractual rate below the floor; ``RateNotFound`` when the table lacks a rate needed.
    """
    principal = to_decimal(principal, "principal")
    if principal < 0:
        raise ValueError(f"The principal must not be negative: {principal} was given.")
    payments = sorted((day, to_decimal(amount, "payment amount")) for day, amount in payments)
    if any(amount < 0 for _day, amount in payments):
        raise ValueError("A payment amount must not be negative.")
    paid = sum((amount for _day, amount in payments), Decimal(0))
    if paid > principal:
        raise ValueError(f"The payments ({paid}) exceed the principal ({principal}).")

    warnings: list[str] = []
    rate_kind = ECB_REFI
    fixed_rate = None
    start = due_date  # interest accrues on the days after ``start``
    if debtor_is_consumer:
        if formal_notice_date is None:
            return InterestResult(Decimal("0.00"))
        start = max(due_date, formal_notice_date)
        rate_kind = LEGAL_PRIVATE if creditor_is_private else LEGAL_OTHER
        if contractual_rate is not None:
            warnings.append(
                "A contractual late-payment rate does not apply to a consumer debtor: "
                "the legal interest rate was used."
            )
    elif contractual_rate is not None:
        legal = table.lookup(LEGAL_OTHER, due_date)
        if legal.warning:
            warnings.append(legal.warning)
        fixed_rate = check_contractual_rate(contractual_rate, legal.rate)

    # Periods are [cut_i, cut_{i+1} - 1]: cut on half-years and on the day after each payment.
    first_day = start + timedelta(days=1)
    if to_date < first_day or principal == 0:
        return InterestResult(Decimal("0.00"), warnings=tuple(warnings))
    cuts = {first_day, to_date + timedelta(days=1)}
    cuts.update(day + timedelta(days=1) for day, _amount in payments if first_day <= day < to_date)
    boundary = next_half_year_start(first_day)
    while boundary <= to_date:
        cuts.add(boundary)
        boundary = next_half_year_start(boundary)
    cuts = sorted(cuts)

    periods = []
    for period_start, next_start in pairwise(cuts):
        base = principal - sum((amount for day, amount in payments if day < period_start), Decimal(0))
        if base <= 0:
            break
        if fixed_rate is not None:
            rate = fixed_rate
        else:
            lookup = table.lookup(rate_kind, period_start)
            if lookup.warning and lookup.warning not in warnings:
                warnings.append(lookup.warning)
            rate = lookup.rate + ECB_MARGIN if rate_kind == ECB_REFI else lookup.rate
        days = (next_start - period_start).days
        amount = (base * rate * days / (100 * DAYS_PER_YEAR)).quantize(CENT, ROUND_HALF_UP)
        periods.append(InterestPeriod(period_start, next_start - timedelta(days=1), days, base, rate, amount))
    total = sum((period.amount for period in periods), Decimal("0.00"))
    return InterestResult(total, tuple(periods), tuple(warnings))
