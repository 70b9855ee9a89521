"""Collection cases: limitation, priority, payment plans and the competent court.

Plain Python, no Odoo: the case model and its wizards hand figures here. Amounts are in
company currency, rounded to ``digits`` decimals (2 unless told).

Limitation (prescription)
    5 years between professionals (Code de commerce L110-4), 2 years when the debtor is a
    consumer (Code de la consommation L218-2), counted from the due date of the oldest
    unpaid invoice. A case is flagged ``LIMITATION_WARNING_DAYS`` days before.

Court (injonction de payer, CPC 1405 and following)
    The requête goes to the court of the place where the debtor lives or has its seat (CPC
    1406). A commercial debt (both parties professionals acting as such) goes to the tribunal
    de commerce, with the requête Cerfa n°12946; a civil debt (the debtor is a consumer) goes
    to the tribunal judiciaire, with the requête Cerfa n°12948 (the juge des contentieux de
    la protection and its Cerfa n°16040 only hear rents and consumer credit, which invoices
    are not). Mapping checked against service-public.fr summaries: 12946 is the "demande en
    injonction de payer au président du tribunal de commerce", 12948 the "requête en
    injonction de payer" before the tribunal judiciaire. From 1 January 2025 to 31 December
    2028, twelve tribunaux de commerce are named "tribunal des activités économiques"
    (arrêté of 5 July 2024): ``TAE_SEATS``. A court's name is French whatever the reader's
    language: it is a proper name. Its seat is the debtor's city by default; a debtor in a
    town without a court of that kind has the seat of the court whose territory covers it,
    which the user sets on the case. A public body is not subject to an injonction de payer:
    its debts go to the tribunal administratif (référé-provision, CJA R541-1), with no Cerfa.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from .dates import add_months

LIMITATION_YEARS_PROFESSIONAL = 5
LIMITATION_YEARS_CONSUMER = 2
LIMITATION_WARNING_DAYS = 90

#: Payer class (A best .. D worst) -> case priority ("0" normal .. "3" most urgent).
PRIORITY_BY_PAYER_CLASS = {"A": "0", "B": "1", "C": "2", "D": "3"}
#: Without a payer class: days overdue of the oldest invoice from which a priority applies.
PRIORITY_BY_DAYS = ((90, "3"), (60, "2"), (30, "1"))


def limitation_date(oldest_due, is_consumer):
    """Last day to act in court for a debt due on ``oldest_due`` (None without a date)."""
    if not oldest_due:
        return None
    years = LIMITATION_YEARS_CONSUMER if is_consumer else LIMITATION_YEARS_PROFESSIONAL
    return add_months(oldest_due, 12 * years)


def limitation_near(limit, today, warning_days=LIMITATION_WARNING_DAYS):
    """True from ``warning_days`` days before the limitation date (and once it has passed)."""
    return bool(limit) and today >= limit - timedelta(days=warning_days)




def priority(payer_class, oldest_days_overdue):
    """The case's priority: from the customer's payer class, else from the oldest delay."""
    if payer_class in PRIORITY_BY_PAYER_CLASS:
        return PRIORITY_BY_PAYER_CLASS[payer_class]
    for threshold, level in PRIORITY_BY_DAYS:
        if oldest_days_overdue > threshold:
            return level
    return "0"


# ---------------------------------------------------------------------- payment plans


def split_amount(total, count, digits=2):
    """``total`` split in ``count`` instalments adding up exactly to ``total``.

    Every instalment is the rounded quotient; the last one takes the rounding difference.
    """
    if count < 1:
        raise ValueError("A payment plan has at least one instalment.")
    cents = round(total * 10**digits)
    base, _rest = divmod(cents, count)
    parts = [base] * count
    parts[-1] = cents - base * (count - 1)
    return [part / 10**digits for part in parts]


#: A payment plan of more instalments, or lasting longer, is not one a court would uphold:
#: refused rather than computed.
MAX_INSTALMENTS = 60
MAX_PLAN_YEARS = 5


def check_plan(first, count, every, unit, earliest, today):
    """The problems of a regular plan about to be computed, as ``(code, value)`` pairs.

    Codes: ``count`` (fewer than 1 or more than ``MAX_INSTALMENTS`` instalments; the value is
    the maximum), ``every`` (a period below 1), ``first_missing``, ``first_early`` (before
    ``earliest``, the date of the case's first invoice), ``first_late`` (more than a year
    after ``today``; the value is the last day allowed), ``too_long`` (the last instalment
    more than ``MAX_PLAN_YEARS`` years after the first; the value is that limit in years).
    Nothing is computed with dates, so no input can overflow them.
    """
    problems = []
    if not 1 <= count <= MAX_INSTALMENTS:
        problems.append(("count", MAX_INSTALMENTS))
    if every < 1:
        problems.append(("every", 1))
    if not first:
        problems.append(("first_missing", None))
    elif earliest and first < earliest:
        problems.append(("first_early", earliest))
    elif first > add_months(today, 12):
        problems.append(("first_late", add_months(today, 12)))
    if problems:
        return problems
    span_months = (count - 1) * every if unit == "months" else (count - 1) * every * 7 * 12 / 365.25
    if span_months > MAX_PLAN_YEARS * 12:
        problems.append(("too_long", MAX_PLAN_YEARS))
    return problems


def check_plan_dates(dates, earliest, today):
    """The problems of a plan's own dates (free lines), with the codes of :func:`check_plan`."""
    if not dates:
        return [("count", MAX_INSTALMENTS)]
    problems = [] if len(dates) <= MAX_INSTALMENTS else [("count", MAX_INSTALMENTS)]
    first, last = min(dates), max(dates)
    if earliest and first < earliest:
        problems.append(("first_early", earliest))
    elif first > add_months(today, 12):
        problems.append(("first_late", add_months(today, 12)))
    elif last > add_months(first, MAX_PLAN_YEARS * 12):
        problems.append(("too_long", MAX_PLAN_YEARS))
    return problems


def instalment_dates(first, count, every=1, unit="months"):
    """``count`` dates from ``first``, every ``every`` months or weeks."""
    if unit == "months":
        return [add_months(first, i * every) for i in range(count)]
    if unit == "weeks":
        return [first + timedelta(weeks=i * every) for i in range(count)]
    raise ValueError(f"Unknown frequency unit: {unit}")


def plan_interest(principal, annual_rate, start, dates, digits=2):
    """Simple interest on the declining balance of a plan, per instalment.

    Each instalment repays an equal share of the principal (``split_amount``) and the
    interest accrued on the balance still owed since the previous date (``start`` first),
    at ``annual_rate`` percent a year on a 365-day basis.
    """
    shares = split_amount(principal, len(dates), digits)
    balance, previous, interests = principal, start, []
    for share, day in zip(shares, dates, strict=True):
        days = max((day - previous).days, 0)
        interests.append(round(balance * annual_rate / 100 * days / 365, digits))
        balance = round(balance - share, digits)
        previous = day
    return interests


@dataclass(frozen=True)
class Instalment:
    id: int
    date: date
    amount: float


@dataclass(frozen=True)
class InstalmentStatus:
    paid: float
    state: str  # "paid", "partial", "missed", "pending"


def allocate_payments(instalments, received, today, grace_days=0, digits=2):
    """Spread ``received`` over ``instalments`` in date order; tell each one's state.

    :param received: what the plan's invoices received since the plan was made (the drop
        of their amount due)
    :return: ``{instalment id: InstalmentStatus}``; an instalment not fully paid by its
        date plus ``grace_days`` is missed.
    """
    left = round(max(received, 0.0), digits)
    result = {}
    for item in sorted(instalments, key=lambda i: (i.date, i.id)):
        paid = round(min(item.amount, left), digits)
        left = round(left - paid, digits)
        if paid >= round(item.amount, digits):
            state = "paid"
        elif today > item.date + timedelta(days=grace_days):
            state = "missed"
        else:
            state = "partial" if paid else "pending"
        result[item.id] = InstalmentStatus(paid, state)
    return result


# ---------------------------------------------------------------------- court


COMMERCE = "commerce"
JUDICIAIRE = "judiciaire"
ADMINISTRATIF = "administratif"
CERFA = {COMMERCE: "12946", JUDICIAIRE: "12948", ADMINISTRATIF: ""}
COURT_KINDS = {
    COMMERCE: "Tribunal de commerce",
    JUDICIAIRE: "Tribunal judiciaire",
    ADMINISTRATIF: "Tribunal administratif",
}
#: the tribunaux de commerce named "tribunal des activités économiques" (arrêté of 5 July 2024)
TAE_SEATS = (
    "Auxerre", "Avignon", "Le Havre", "Le Mans", "Limoges", "Lyon",
    "Marseille", "Nancy", "Nanterre", "Paris", "Saint-Brieuc", "Versailles",
)
TAE_PERIOD = (date(2025, 1, 1), date(2028, 12, 31))


@dataclass(frozen=True)
class Court:
    kind: str  # COMMERCE, JUDICIAIRE or ADMINISTRATIF
    cerfa: str  # empty before the tribunal administratif
    name: str  # "Tribunal judiciaire de Lyon"; without a seat, the kind of court alone


def competent_court(debtor_is_consumer, seat=None, on_date=None, debtor_is_public=False):
    """The court (and Cerfa form of an injonction de payer) for this debtor, at ``seat``."""
    kind = ADMINISTRATIF if debtor_is_public else JUDICIAIRE if debtor_is_consumer else COMMERCE
    seat = (seat or "").strip()
    in_experiment = on_date and TAE_PERIOD[0] <= on_date <= TAE_PERIOD[1]
    tae = _tae_seat(seat) if kind == COMMERCE and in_experiment else None
    if tae:
        name = f"Tribunal des activités économiques {_of(tae)}"
    else:
        name = f"{COURT_KINDS[kind]} {_of(seat)}" if seat else COURT_KINDS[kind]
    return Court(kind, CERFA[kind], name)


def _key(city):
    """``city`` compared loosely: no accents, case, hyphens nor arrondissement ("Lyon 3e")."""
    plain = unicodedata.normalize("NFKD", city).encode("ascii", "ignore").decode().casefold()
    plain = re.sub(r"\s+\d+\s*(e|er|eme)?(\s+arrondissement)?$", "", plain.replace("-", " "))
    return " ".join(plain.split())


def _tae_seat(city):
    key = _key(city)
    return next((seat for seat in TAE_SEATS if _key(seat) == key), None)


def _of(city):
    """French "de" before a city: "de Lyon", "d'Avignon", "du Mans", "des Sables-d'Olonne"."""
    for article, contracted in (("Le ", "du "), ("Les ", "des ")):
        if city.startswith(article):
            return contracted + city[len(article):]
    first = unicodedata.normalize("NFKD", city[:1]).encode("ascii", "ignore").decode().lower()
    return f"d'{city}" if first in "aeiouy" and first else f"de {city}"


# ---------------------------------------------------------------------- evidence pack

#: Kinds of document an injonction de payer needs; each inner tuple is "one of".
REQUIRED_FOR_COURT = (("invoice",), ("formal_notice",), ("contract", "quote", "purchase_order"), ("terms",))


def missing_for_court(kinds):
    """The required groups of kinds not covered by ``kinds`` (empty: the pack is complete)."""
    present = set(kinds)
    return [group for group in REQUIRED_FOR_COURT if not present.intersection(group)]
