"""French late-payment law: late interest and the fixed recovery indemnity.

What a debtor owes depends on who it is (``debtor``):

* ``PROFESSIONAL`` (Code de commerce L441-10 II and D441-5): interest runs without any
  reminder from the day after the due date, at the contractual rate of the terms of sale or,
  by default, at the ECB main refinancing rate in force on 1 January (for January-June) or on
  1 July (for July-December) plus 10 points, each half-year's rate applying to its own days.
  A contractual rate may not be below three times the legal interest rate "for all other
  cases": for a half-year where it is, that half-year's floor applies instead (notice
  ``FLOOR_APPLIED``). A fixed 40 EUR recovery indemnity is due per invoice paid late or still
  unpaid after its due date, not subject to VAT.
* ``PUBLIC`` body buying under a public contract (Code de la commande publique L2192-13,
  R2192-31, D2192-35): interest runs from the day after the due date at the ECB main
  refinancing rate in force on the first day of the half-year in which interest began to run,
  plus 8 points, that one rate for the whole delay; the same 40 EUR indemnity. The rate is
  set by regulation: a contractual rate does not apply.
* ``CONSUMER`` (Code civil 1231-6 and 1344-1): interest at the legal interest rate, and only
  from the formal notice; neither the 40 EUR indemnity nor collection fees may be charged
  (Code des procédures civiles d'exécution L111-8). The legal rate is the one "for creditors
  who are private persons not acting for professional needs" when the creditor is one, else
  the one "for all other cases".

Conventions used throughout:

* Days: interest is simple, on calendar days over 365, leap years included. Interest accrues
  on each day *after* a start date (the due date, or the formal notice date) up to and
  including the end date: N days = ``(to_date - start).days``.
* Periods: interest is computed period by period; periods end on 30 June and 31 December
  (the rate changes by half-year), on payment dates and on the ``cuts`` a caller asks for
  (the last day a penalty invoice already charged).
* Payments: a payment on day D is counted as made at the end of day D: the principal is
  reduced from day D + 1 on, so day D still bears interest on the unpaid amount. A payment
  on the due date therefore stops all interest on the amount paid, and a payment the day
  after the due date bears one day of interest.
* Rounding: each period's amount is rounded to the cent (ROUND_HALF_UP) and the total is the
  sum of the rounded periods, so that the periods printed on a letter add up to its total.
  Rates are never rounded.
* Rates are percentages (``Decimal("2.15")`` means 2.15 % a year). They come from a
  ``RateTable`` given by the caller, never from this module. A missing or odd rate never
  raises: the figure is computed with what the table has and a ``Notice`` says what was done.
* Nothing here is worded for people: notices and bases are codes, the adapter words them.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

ECB_REFI = "ecb_refi"
LEGAL_PRIVATE = "legal_private"
LEGAL_OTHER = "legal_other"
RATE_KINDS = (ECB_REFI, LEGAL_PRIVATE, LEGAL_OTHER)

PROFESSIONAL = "professional"
CONSUMER = "consumer"
PUBLIC = "public"
DEBTOR_KINDS = (PROFESSIONAL, CONSUMER, PUBLIC)

ECB_MARGIN = Decimal("10")  # percentage points added to the ECB rate between professionals (L441-10 II)
PUBLIC_ECB_MARGIN = Decimal("8")  # percentage points added for public bodies (R2192-31)
LEGAL_FLOOR_FACTOR = 3  # a contractual rate may not be below 3 x the legal interest rate
RECOVERY_INDEMNITY = Decimal("40.00")  # per late invoice, never for a consumer (D441-5, D2192-35)
DAYS_PER_YEAR = 365
CENT = Decimal("0.01")
ZERO = Decimal("0.00")

# How the rate of a period was set (InterestPeriod.basis).
BASIS_CONTRACTUAL = "contractual"  # the contractual rate
BASIS_FLOOR = "floor"  # 3 x the legal rate, the contractual rate being below it
BASIS_ECB = "ecb"  # ECB rate of the half-year + 10 points
BASIS_PUBLIC = "ecb_public"  # ECB rate of the half-year interest began + 8 points
BASIS_LEGAL = "legal"  # the legal interest rate

# What the reader of a figure must be told (Notice.code).
RATE_CARRIED_OVER = "rate_carried_over"  # no row for the half-year: the latest earlier row was used
RATE_MISSING = "rate_missing"  # no row at all for the half-year: its days bear no interest
FLOOR_APPLIED = "floor_applied"  # the contractual rate is below the half-year's floor: the floor applies
FLOOR_UNCHECKED = "floor_unchecked"  # no legal rate to check the contractual rate against: used as is
CONTRACTUAL_RATE_IGNORED = "contractual_rate_ignored"  # consumer or public body: the law's rate applies

Number = int | float | Decimal


class RateBelowLegalFloor(ValueError):
    """A contractual late-payment rate below three times the legal interest rate."""

    def __init__(self, rate: Decimal, floor: Decimal, legal_rate: Decimal):
        self.rate, self.floor, self.legal_rate = rate, floor, legal_rate
        super().__init__(f"contractual rate {rate} below the legal floor {floor} (3 x {legal_rate})")


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


@dataclass(frozen=True)
class Notice:
    """Something the reader of a figure must be told, as a code and its data.

    ``rate`` is the rate concerned (carried over, or the contractual rate below its floor),
    ``date_from`` the first day of the row used, ``floor`` the floor that applied.
    """

    code: str
    kind: str | None = None
    half_year: date | None = None
    rate: Decimal | None = None
    date_from: date | None = None
    floor: Decimal | None = None


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
                raise ValueError(f"Two {kind} rows start on {date_from.isoformat()}.")
            by_kind[kind][date_from] = to_decimal(rate, kind)
        self._rows = {kind: sorted(rates.items()) for kind, rates in by_kind.items()}

    def find(self, kind: str, on_date: date) -> RateLookup | None:
        """The rate of ``kind`` for the half-year holding ``on_date``; None when none is known.

        That is the row with the greatest ``date_from`` on or before the half-year's first day.
        """
        if kind not in RATE_KINDS:
            raise ValueError(f"Unknown rate kind {kind!r}: expected one of {', '.join(RATE_KINDS)}.")
        start = half_year_start(on_date)
        rows = self._rows[kind]
        earlier = [row for row in rows if row[0] <= start]
        if not earlier:
            return None
        date_from, rate = earlier[-1]
        is_stale = date_from < start and len(earlier) == len(rows)
        return RateLookup(kind, start, rate, date_from, is_stale)

    def lookup(self, kind: str, on_date: date) -> RateLookup:
        """``find``, raising ``RateNotFound`` when every row of ``kind`` is later."""
        found = self.find(kind, on_date)
        if found is None:
            raise RateNotFound(f"No {kind} rate for the half-year starting {half_year_start(on_date)}.")
        return found

    def has_row(self, kind: str, half_year: date) -> bool:
        """True when a row of ``kind`` starts within the half-year starting ``half_year``."""
        end = next_half_year_start(half_year)
        return any(half_year <= date_from < end for date_from, _rate in self._rows[kind])


@dataclass(frozen=True)
class InterestPeriod:
    """Interest on ``base`` at ``rate`` % a year, for the days ``date_from`` to ``date_to`` included.

    ``basis`` says how the rate was set (``BASIS_*``); ``reference_rate`` is the published rate
    it comes from (the ECB rate before its margin, or the legal rate; None for a contractual
    rate), in force from ``reference_date``, ``carried_over`` when that row is of an earlier
    half-year because the table has none for this one.
    """

    date_from: date
    date_to: date
    days: int
    base: Decimal
    rate: Decimal
    amount: Decimal
    basis: str = BASIS_ECB
    reference_rate: Decimal | None = None
    reference_date: date | None = None
    carried_over: bool = False


@dataclass(frozen=True)
class InterestResult:
    amount: Decimal
    periods: tuple[InterestPeriod, ...] = ()
    notices: tuple[Notice, ...] = ()


@dataclass(frozen=True)
class _Rate:
    rate: Decimal
    basis: str
    reference: RateLookup | None


def check_contractual_rate(rate: Number, legal_rate: Number) -> Decimal:
    """Return ``rate`` as a Decimal, or raise ``RateBelowLegalFloor`` (L441-10 II).

    A rate equal to the floor is accepted: the law forbids only a rate "inférieur" to it.
    Used where a rate is set (the company's terms), never while computing what is owed.
    """
    rate, legal_rate = to_decimal(rate, "contractual rate"), to_decimal(legal_rate, "legal rate")
    floor = LEGAL_FLOOR_FACTOR * legal_rate
    if rate < floor:
        raise RateBelowLegalFloor(rate, floor, legal_rate)
    return rate


def paid_by(payments: Iterable[tuple[date, Decimal]], day: date) -> Decimal:
    """What the payments had settled by the end of ``day``."""
    return sum((amount for paid_on, amount in payments if paid_on <= day), Decimal(0))


def recovery_indemnity(debtor: str, principal: Number, due_date: date, to_date: date, payments=()) -> Decimal:
    """The fixed recovery indemnity of one invoice (D441-5, D2192-35): 40 EUR, not subject to VAT.

    Due once the invoice is late: paid after its due date or still unpaid after it, that is
    not settled in full by the end of its due date, seen on ``to_date``. Never by a consumer.
    """
    if debtor == CONSUMER or to_date <= due_date:
        return ZERO
    if paid_by(payments, due_date) >= to_decimal(principal, "principal"):
        return ZERO
    return RECOVERY_INDEMNITY


def late_interest(
    principal: Number,
    due_date: date,
    to_date: date,
    *,
    table: RateTable,
    debtor: str = PROFESSIONAL,
    contractual_rate: Number | None = None,
    payments: Iterable[tuple[date, Number]] = (),
    creditor_is_private: bool = False,
    formal_notice_date: date | None = None,
    cuts: Iterable[date] = (),
) -> InterestResult:
    """Late interest on ``principal`` due on ``due_date``, accrued up to ``to_date`` included.

    ``debtor`` is one of ``DEBTOR_KINDS`` (see the module docstring for what each owes). A
    consumer owes interest from the day after ``formal_notice_date`` (or after ``due_date`` if
    the notice came first), none without a formal notice. ``payments`` are ``(date, amount)``
    pairs; ``cuts`` are days after which a new period starts (the last day already invoiced).

    A ``to_date`` on or before the start gives zero interest. Raise ``ValueError`` on a negative
    principal or payment, or payments above the principal (the caller's data is wrong); odd or
    missing rates never raise: ``notices`` say how they were dealt with.
    """
    if debtor not in DEBTOR_KINDS:
        raise ValueError(f"Unknown debtor kind {debtor!r}: expected one of {', '.join(DEBTOR_KINDS)}.")
    principal = to_decimal(principal, "principal")
    if principal < 0:
        raise ValueError(f"The principal must not be negative: {principal} was given.")
    payments = sorted((day, to_decimal(amount, "payment amount")) for day, amount in payments)
    if any(amount < 0 for _day, amount in payments):
        raise ValueError("A payment amount must not be negative.")
    paid = sum((amount for _day, amount in payments), Decimal(0))
    if paid > principal:
        raise ValueError(f"The payments ({paid}) exceed the principal ({principal}).")
    contractual = None if contractual_rate is None else to_decimal(contractual_rate, "contractual rate")

    notices: list[Notice] = []
    start = due_date  # interest accrues on the days after ``start``
    if debtor == CONSUMER:
        if formal_notice_date is None:
            return InterestResult(ZERO)
        start = max(due_date, formal_notice_date)
    first_day = start + timedelta(days=1)
    if to_date < first_day or principal == 0:
        return InterestResult(ZERO)
    if contractual is not None and debtor != PROFESSIONAL:
        notices.append(Notice(CONTRACTUAL_RATE_IGNORED))

    # Periods are [cut_i, cut_{i+1} - 1]: cut on half-years, on the day after each payment and
    # after each asked cut. A public body's one rate needs no cut on half-years.
    cuts = {first_day, to_date + timedelta(days=1)} | {day + timedelta(days=1) for day in cuts}
    cuts.update(day + timedelta(days=1) for day, _amount in payments)
    if debtor != PUBLIC:
        boundary = next_half_year_start(first_day)
        while boundary <= to_date:
            cuts.add(boundary)
            boundary = next_half_year_start(boundary)
    cuts = sorted(day for day in cuts if first_day <= day <= to_date + timedelta(days=1))

    def rate_of(period_start):
        if debtor == PUBLIC:
            return _reference_rate(table, ECB_REFI, first_day, PUBLIC_ECB_MARGIN, BASIS_PUBLIC, notices)
        if debtor == CONSUMER:
            kind = LEGAL_PRIVATE if creditor_is_private else LEGAL_OTHER
            return _reference_rate(table, kind, period_start, Decimal(0), BASIS_LEGAL, notices)
        if contractual is None:
            return _reference_rate(table, ECB_REFI, period_start, ECB_MARGIN, BASIS_ECB, notices)
        return _contractual_rate(table, contractual, period_start, notices)

    periods = []
    for period_start, next_start in pairwise(cuts):
        base = principal - sum((amount for day, amount in payments if day < period_start), Decimal(0))
        if base <= 0:
            break
        found = rate_of(period_start)
        if found is None:
            continue  # the table has no rate for these days: RATE_MISSING says so
        days = (next_start - period_start).days
        amount = (base * found.rate * days / (100 * DAYS_PER_YEAR)).quantize(CENT, ROUND_HALF_UP)
        reference = found.reference
        periods.append(
            InterestPeriod(
                period_start,
                next_start - timedelta(days=1),
                days,
                base,
                found.rate,
                amount,
                found.basis,
                reference.rate if reference else None,
                reference.date_from if reference else None,
                bool(reference and reference.is_stale),
            )
        )
    total = sum((period.amount for period in periods), ZERO)
    return InterestResult(total, tuple(periods), tuple(dict.fromkeys(notices)))


def _reference_rate(table, kind, on_date, margin, basis, notices):
    """A published rate of ``kind`` plus ``margin``; None (and a notice) when the table has none."""
    found = table.find(kind, on_date)
    if found is None:
        notices.append(Notice(RATE_MISSING, kind, half_year_start(on_date)))
        return None
    if found.is_stale:
        notices.append(Notice(RATE_CARRIED_OVER, kind, found.half_year, found.rate, found.date_from))
    return _Rate(found.rate + margin, basis, found)


def _contractual_rate(table, contractual, on_date, notices):
    """The contractual rate, or the half-year's floor of 3 x the legal rate when it is higher."""
    legal = table.find(LEGAL_OTHER, on_date)
    if legal is None:
        notices.append(Notice(FLOOR_UNCHECKED, LEGAL_OTHER, half_year_start(on_date), contractual))
        return _Rate(contractual, BASIS_CONTRACTUAL, None)
    floor = LEGAL_FLOOR_FACTOR * legal.rate
    if contractual >= floor:
        return _Rate(contractual, BASIS_CONTRACTUAL, None)
    if legal.is_stale:
        notices.append(Notice(RATE_CARRIED_OVER, LEGAL_OTHER, legal.half_year, legal.rate, legal.date_from))
    notices.append(Notice(FLOOR_APPLIED, LEGAL_OTHER, legal.half_year, contractual, legal.date_from, floor))
    return _Rate(floor, BASIS_FLOOR, legal)
