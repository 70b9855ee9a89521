"""The cash-in forecast, in plain Python (no Odoo import): when each open amount should come
in, and how likely it is.

Seen on ``today``, over ``FORECAST_WEEKS`` weeks that start on Monday (week 0 is the week of
``today``, from ``today`` on), each open receivable line gets its expected cash-in per week,
an expected date and a probability (the share of it expected within the horizon):

1. **Net of credits.** A customer's open credits (credit notes, payments not matched yet) are
   applied to its open lines, oldest due date first (``analytics.net_open_amounts``). What its
   credits leave over is a row of its own (negative): owed back, never collected.
2. **Apart.** The lines of an excluded customer, of a case in an agency's, a factor's or the
   court's hands, and disputed invoices are not in the weeks: each kind is a row of its own.
3. **Promises and payment plans.** What a running promise still promises is expected on the
   promised date (this week when that date has passed and the promise still runs), with the
   share of promises the company saw kept; an instalment of a running plan likewise, with the
   share of instalments paid. Both are spread over their invoices' lines oldest first; what
   they leave (the rest of the lines, the share not kept) follows the customer's behaviour.
4. **Behaviour.** Until its expected date (due date plus the customer's average delay), a line
   is paid on a day drawn from the customer's law of delay, given that it is not paid yet,
   times the share of what the customer owes that it pays at all. Both are learnt from its
   lines of the window by Kaplan-Meier (``paid_by_delay``): of what was open that many days
   past due, the share paid that day, the lines still open included (a law learnt from the
   payments alone misses the delays of the lines still open, the longest). Each delay seen is
   spread over the days around it, and the law keeps the customer's own shape: one who pays
   anywhere from 0 to 6 months late is not a bell around 3 months. The customer's own law needs
   ``MIN_HISTORY`` invoices paid in the window, else the company's is used, with the share of
   what the customer owes that it paid against what that law says should be in by now.
5. **The collection curve.** Past its expected date, a line is not "this week": it is spread
   by the share of such amounts the company collected in each following week. The curve is
   learnt from the company's history: on each past week's same weekday as ``today`` in the
   window, every open amount then past its expected date, by how many days overdue it was
   (``LATENESS_FROM``), and what of it came in each week after, counting only the weeks over
   by ``today``. Overdue debt that rarely gets paid stays out of the near weeks. The amounts
   are weighed by their customer's collected share (4) when learnt and when forecast: a
   customer who does not pay neither dilutes the curve nor takes from it.

Only payments are collections: a credit note, a write-off or a reversal settles a line without
any cash coming in (``PastLine.settlements``). Amounts are in company currency.
"""

import math
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from itertools import accumulate, pairwise

from .analytics import net_open_amounts
from .dates import days_past, week_index, week_start

#: Horizon of the forecast, in weeks (week 0 is the current week).
FORECAST_WEEKS = 13
#: Invoices paid in the window a customer needs for its own delay and law.
MIN_HISTORY = 3
#: Narrowest spread of a delay seen over the days around it, in days (a customer who always
#: paid on the same day pays on that day give or take one).
MIN_SPREAD = 1.0
#: How far a delay seen is spread, in spreads (beyond, its normal law leaves 3e-7).
KERNEL_REACH = 5
#: Lines' worth of the company's collected share in a customer's (its prior).
SHARE_PRIOR = 0.5
#: First day overdue of each lateness bucket of the collection curve.
LATENESS_FROM = (0, 7, 14, 21, 28, 42, 56, 91, 182)
#: Observations (an open amount on a reference day) a curve bucket needs to stand alone.
MIN_CURVE_OBSERVATIONS = 10
#: Pseudo-counts (kept, not kept) of promises and instalments before any history: 80 % kept.
KEPT_PRIOR = (4, 1)
#: Below this, an amount is nothing (floats of currency amounts).
EPSILON = 1e-6

# Where a line's forecast comes from.
PROMISE = "promise"
PLAN = "plan"
DELAY = "delay"
OVERDUE = "overdue"
# Lines apart, not in the weeks.
EXCLUDED = "excluded"
HANDED_OFF = "handed_off"
DISPUTED = "disputed"
CREDIT = "credit"
COVERED = "covered"
APART = (EXCLUDED, HANDED_OFF, DISPUTED)


# ---------------------------------------------------------------------- laws


def round_days(days):
    """Days rounded half up, as the SQL ``FLOOR(x + 0.5)`` does."""
    return int(math.floor((days or 0.0) + 0.5))


def lateness_bucket(days_overdue):
    """Index in ``LATENESS_FROM`` of a line ``days_overdue`` days past its due date."""
    return max(bisect_right(LATENESS_FROM, days_overdue) - 1, 0)


_BUCKET_OF_DAY = tuple(lateness_bucket(day) for day in range(LATENESS_FROM[-1] + 1))


def kept_rate(kept, not_kept):
    """Share of promises (or instalments) kept, from the counts seen, with ``KEPT_PRIOR``."""
    prior_kept, prior_not = KEPT_PRIOR
    return (kept + prior_kept) / (kept + not_kept + prior_kept + prior_not)


def _normal_cdf(x):
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


@dataclass(frozen=True)
class DelayLaw:
    """A law of the payment delay, in whole days from the due date (negative when early):
    ``cdf[i]`` is the probability of a payment before day ``first + i``; none before
    ``first``, all of it from the end of ``cdf`` on."""

    first: int
    cdf: tuple

    def before(self, day):
        """Probability of a payment before ``day`` days past due."""
        index = day - self.first
        if index <= 0:
            return 0.0
        return self.cdf[min(index, len(self.cdf) - 1)]


@lru_cache(maxsize=256)
def _kernel(spread):
    """A normal law of ``spread`` days on whole days: ``(reach, probability of each day from
    -reach to reach)``, the little beyond ``reach`` shared among them."""
    reach = math.ceil(KERNEL_REACH * spread)
    below = [_normal_cdf((offset - 0.5) / spread) for offset in range(-reach, reach + 2)]
    kernel = [after - before for before, after in pairwise(below)]
    total = sum(kernel)
    return reach, tuple(density / total for density in kernel)


def delay_law(weights, spread):
    """The ``DelayLaw`` of the delays ``weights`` (``{days: weight}``), each spread over the
    days around it by a normal law of ``spread`` days (to a tenth of a day): a single delay seen
    is a normal law around it, many take their own shape."""
    reach, kernel = _kernel(round(spread, 1))
    scale = sum(weights.values())
    low = min(weights)
    mass = [0.0] * (max(weights) - low + 2 * reach + 1)
    for day, weight in weights.items():
        start = day - low
        share = weight / scale
        mass[start : start + len(kernel)] = [
            before + share * density
            for before, density in zip(mass[start : start + len(kernel)], kernel, strict=True)
        ]
    return DelayLaw(low - reach, tuple(accumulate(mass, initial=0.0)))


#: Paid on the due date, give or take a day: the law of a company with no history.
ON_THE_DUE_DATE = delay_law({0: 1.0}, MIN_SPREAD)


# ---------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class OpenLine:
    """An open receivable line: ``amount`` > 0 owed, < 0 a credit of the customer."""

    key: int
    partner: int
    due: date
    amount: float
    excluded: bool = False
    handed_off: bool = False
    disputed: bool = False

    @property
    def apart(self):
        """The row apart it belongs to (``EXCLUDED``, ``HANDED_OFF``, ``DISPUTED``) or None."""
        if self.excluded:
            return EXCLUDED
        if self.handed_off:
            return HANDED_OFF
        if self.disputed:
            return DISPUTED
        return None


@dataclass(frozen=True)
class PastLine:
    """A receivable line of ``amount`` (> 0) booked on ``date``, as history.

    ``collections``: payments applied to it, ``(date, amount)``; ``settlements``: what else
    reduced it (credit notes, write-offs, reversals, exchange differences).
    """

    key: int
    partner: int
    date: date
    due: date
    amount: float
    collections: tuple = ()
    settlements: tuple = ()


@dataclass(frozen=True)
class Promise:
    """A running promise: ``amount`` still promised by ``date`` on the lines ``keys``."""

    date: date
    amount: float
    keys: tuple


@dataclass(frozen=True)
class Plan:
    """A running payment plan on the lines ``keys``: ``instalments`` ``(date, amount due)``."""

    keys: tuple
    instalments: tuple


@dataclass(frozen=True)
class Behaviour:
    """How a customer pays: the mean of its delay (days from due date to payment, negative
    when early) and its law, and the share of what it owes that it pays at all
    (``behaviours``). ``own``: its law is from its own history, not the company's."""

    delay: float = 0.0
    law: DelayLaw = ON_THE_DUE_DATE
    paid_share: float = 1.0
    own: bool = False


@dataclass(frozen=True)
class LineForecast:
    """The forecast of one open line: its net open ``amount``, expected cash-in per week."""

    key: int
    source: str
    amount: float
    weeks: tuple
    expected_date: date | None = None

    @property
    def expected(self):
        return sum(self.weeks)

    @property
    def probability(self):
        """Share of the line expected within the horizon."""
        return self.expected / self.amount if self.amount > EPSILON else 0.0


# ---------------------------------------------------------------------- learning


def behaviours(history, today, start):
    """``(company, {partner: Behaviour})`` learnt from the lines ``history`` over the window
    ``start``..``today``.

    The company, and each customer with ``MIN_HISTORY`` lines paid in the window, by its own
    lines: its delay is the amount-weighted mean of the delays of the payments made in the
    window; its law and its share paid at all are its lines' ``paid_by_delay``, each delay
    spread over the days around it (``delay_law``) by the normal reference bandwidth: 1.06 x
    the spread of the delays paid x the lines paid ^ -1/5.

    A customer with fewer lines paid takes the company's delay and law, and its collected
    share: of its lines due in the window, net of what was credited, what was collected by
    ``today`` against what the law says should have been by then (each line's amount times
    the probability of a payment by its age); it tells a new customer from one who does not
    pay. Each line weighs the cube of the probability that it should be paid by now (a line
    near its expected date, paid or not by chance, says little), and the company's share
    weighs as ``SHARE_PRIOR`` lines.
    """
    lines_of = defaultdict(list)
    payments_of = defaultdict(list)  # partner -> [(delay, amount)] of the payments in the window
    lines_paid = defaultdict(int)
    due_lines = defaultdict(list)  # partner -> [(due, basis, collected)]
    for line in history:
        lines_of[line.partner].append(line)
        payments = [
            (days_past(line.due, day), amount) for day, amount in line.collections if start <= day <= today
        ]
        if payments:
            payments_of[line.partner] += payments
            lines_paid[line.partner] += 1
        if start <= line.due <= today:
            basis = line.amount - sum(amount for _day, amount in line.settlements)
            if basis > EPSILON:
                collected = sum(amount for day, amount in line.collections if day <= today)
                due_lines[line.partner].append((line.due, basis, min(collected, basis)))

    every_payment = [payment for payments in payments_of.values() for payment in payments]
    company = _own(history, every_payment, sum(lines_paid.values()), today, start) or Behaviour()
    partners = {}
    for partner, lines in lines_of.items():
        own = None
        if lines_paid[partner] >= MIN_HISTORY:
            own = _own(lines, payments_of[partner], lines_paid[partner], today, start)
        partners[partner] = own or Behaviour(
            company.delay, company.law, _collected_share(due_lines[partner], company, today)
        )
    return company, partners


def _own(lines, payments, paid_lines, today, start):
    """The ``Behaviour`` that ``lines`` show, ``payments`` ``(delay, amount)`` in the window
    having been made on ``paid_lines`` of them (see ``behaviours``); None without payments."""
    amount = sum(paid for _delay, paid in payments)
    law, unpaid = paid_by_delay(lines, today, start)
    if amount <= EPSILON or not law:
        return None
    mean = sum(delay * paid for delay, paid in payments) / amount
    variance = sum(paid * (delay - mean) ** 2 for delay, paid in payments) / amount
    spread = max(1.06 * math.sqrt(variance) * paid_lines ** (-0.2), MIN_SPREAD)
    return Behaviour(mean, delay_law(law, spread), 1.0 - unpaid, own=True)


def _collected_share(rows, company, today):
    """The collected share of a customer with too little history of its own, from its lines
    due in the window, ``rows`` ``(due, basis, collected)`` (see ``behaviours``)."""
    collected = expected = weight = 0.0
    for due, basis, paid in rows:
        by_now = company.law.before(days_past(due, today))
        collected += paid * by_now**3
        expected += basis * by_now**4
        weight += by_now**3
    if expected <= EPSILON:
        return company.paid_share
    return (weight * collected / expected + SHARE_PRIOR * company.paid_share) / (weight + SHARE_PRIOR)


def paid_by_delay(lines, today, start):
    """``({days past due: probability of a payment that day}, probability of none by the
    latest of those days)``, learnt from ``lines`` over the window ``start``..``today`` by
    Kaplan-Meier.

    A line is watched from the first day of the window or its own date, whichever is later,
    until it is paid, otherwise settled, or the eve of ``today`` (a day not over is not seen
    whole). On each day past due, what was paid of the lines that many days past due, against
    all that was open and watched of them, is the chance that what was not paid before is
    paid that day. Amounts weigh. A line still open weighs on every day it was watched: the
    law of the payments alone would miss the delays of the lines still open, the longest.
    """
    watched = defaultdict(float)  # days past due -> change, from that day, of the amount watched
    paid = defaultdict(float)
    for line in lines:
        first = max(days_past(line.due, start), days_past(line.due, line.date))
        last = days_past(line.due, today) - 1
        reductions = sorted(
            [(days_past(line.due, day), amount, True) for day, amount in line.collections]
            + [(days_past(line.due, day), amount, False) for day, amount in line.settlements]
        )
        open_amount = line.amount - sum(amount for delay, amount, _cash in reductions if delay < first)
        if last < first or open_amount <= EPSILON:
            continue
        watched[first] += open_amount
        for delay, amount, cash in reductions:
            if first <= delay <= last:
                amount = min(amount, open_amount)
                if cash:
                    paid[delay] += amount
                watched[delay + 1] -= amount
                open_amount -= amount
        watched[last + 1] -= open_amount
    law = {}
    unpaid = 1.0
    amount = 0.0
    for delay in sorted(watched.keys() | paid.keys()):
        amount += watched.get(delay, 0.0)
        if paid.get(delay, 0.0) > EPSILON and amount > EPSILON:
            hazard = min(paid[delay] / amount, 1.0)
            law[delay] = unpaid * hazard
            unpaid *= 1.0 - hazard
    return law, unpaid


def expected_date(due, behaviour):
    """Due date plus the customer's average delay, rounded half up."""
    return due + timedelta(days=round_days(behaviour.delay))


def collection_curve(history, behaviour_of, today, start, weeks=FORECAST_WEEKS):
    """Per lateness bucket, the share of open amounts past their expected date collected in
    each of the ``weeks`` following weeks (see the module's docstring, 5).

    Reference days: ``today`` minus 1, 2, ... weeks, down to ``start``. On reference day ``r``
    (``j`` weeks ago), a line of ``history`` booked by then and past its expected date
    (``behaviour_of(partner)``) counts for what was open on it (its amount minus what reduced
    it before ``r``) times its customer's collected share, in the bucket of its days overdue on
    ``r``; the payments from ``r`` on count in their week after ``r``'s, for the ``j`` weeks
    over by ``today`` only. A bucket with fewer than ``MIN_CURVE_OBSERVATIONS`` for a week
    takes the later buckets with it, then all of them.
    """
    buckets = len(LATENESS_FROM)
    collected = [[0.0] * weeks for _ in range(buckets)]
    # open amounts and observations seen for exactly n weeks (n = 1..weeks), summed below
    exposed = [[0.0] * (weeks + 1) for _ in range(buckets)]
    observed = [[0] * (weeks + 1) for _ in range(buckets)]
    last_reference = (today - start).days // 7
    # days as ordinals, weeks counted from today's: the reference day j weeks ago is in week -j
    today_day = today.toordinal()
    monday = week_start(today).toordinal()
    for line in history:
        if line.amount <= EPSILON:
            continue
        behaviour = behaviour_of(line.partner)
        share = behaviour.paid_share
        if share <= EPSILON:
            continue
        due = line.due.toordinal()
        first = max(line.date.toordinal(), due + round_days(behaviour.delay) + 1)  # past expected
        top = min((today_day - first) // 7, last_reference)
        if top < 1:
            continue
        reductions = sorted(
            (day.toordinal(), amount) for day, amount in (*line.collections, *line.settlements)
        )
        payments = [
            (day.toordinal(), (week_start(day).toordinal() - monday) // 7, amount)
            for day, amount in line.collections
        ]
        reduced, done = 0.0, 0
        for j in range(top, 0, -1):
            reference = today_day - 7 * j
            while done < len(reductions) and reductions[done][0] < reference:
                reduced += reductions[done][1]
                done += 1
            open_amount = line.amount - reduced
            if open_amount <= EPSILON:
                break  # later reference days see it closed too
            overdue = reference - due
            bucket = (
                _BUCKET_OF_DAY[overdue] if 0 <= overdue < len(_BUCKET_OF_DAY) else lateness_bucket(overdue)
            )
            seen = min(j, weeks)
            exposed[bucket][seen] += open_amount * share
            observed[bucket][seen] += 1
            for day, week_from_today, amount in payments:
                if day >= reference and week_from_today + j < seen:
                    collected[bucket][week_from_today + j] += amount

    def pooled(first, last, week):
        """(collected, exposure, observations) of the buckets first..last for ``week``."""
        span = range(first, last + 1)
        return (
            sum(collected[b][week] for b in span),
            sum(exposed[b][n] for b in span for n in range(week + 1, weeks + 1)),
            sum(observed[b][n] for b in span for n in range(week + 1, weeks + 1)),
        )

    curve = []
    for bucket in range(buckets):
        shares = []
        for week in range(weeks):
            share = 0.0
            pools = [(bucket, last) for last in range(bucket, buckets)] + [(0, buckets - 1)]
            for first, last in pools:
                paid, exposure, count = pooled(first, last, week)
                if exposure > EPSILON:
                    share = paid / exposure
                    if count >= MIN_CURVE_OBSERVATIONS:
                        break
            shares.append(share)
        curve.append(tuple(shares))
    return tuple(curve)


def learn(history, today, start, promises=(0, 0), instalments=(0, 0), apart=(), weeks=FORECAST_WEEKS):
    """The forecast ``Model`` of a company on ``today``, from its ``history`` in the window
    that starts on ``start``.

    ``promises``: (kept, broken) promises of the window; ``instalments``: (paid, missed).
    ``apart``: keys of the lines to leave out of the learning (those apart today: their
    history is not the ordinary one).
    """
    apart = set(apart)
    ordinary = [line for line in history if line.key not in apart]
    company, partners = behaviours(ordinary, today, start)
    curve = collection_curve(ordinary, lambda partner: partners.get(partner, company), today, start, weeks)
    return Model(
        today=today,
        company=company,
        partners=partners,
        curve=curve,
        promise_rate=kept_rate(*promises),
        plan_rate=kept_rate(*instalments),
        weeks=weeks,
    )


# ---------------------------------------------------------------------- forecasting


@dataclass(frozen=True)
class Model:
    """What a company's history says (``learn``), ready to forecast its open lines."""

    today: date
    company: Behaviour
    partners: dict
    curve: tuple
    promise_rate: float
    plan_rate: float
    weeks: int = FORECAST_WEEKS
    _overdue: dict = field(default_factory=dict, compare=False, repr=False)  # (bucket, share) -> shares

    def behaviour(self, partner):
        return self.partners.get(partner, self.company)

    def week_of(self, day):
        """Week index of money expected on ``day`` (a day already past: this week)."""
        return week_index(max(day, self.today), self.today)

    def ordinary(self, line):
        """``(source, shares per week, expected date)`` of a line by its customer's behaviour
        (``DELAY``) or, past its expected date, by the collection curve (``OVERDUE``)."""
        behaviour = self.behaviour(line.partner)
        expected = expected_date(line.due, behaviour)
        if expected >= self.today:
            return DELAY, self._delay_shares(line.due, behaviour), expected
        key = (lateness_bucket(days_past(line.due, self.today)), behaviour.paid_share)
        if key not in self._overdue:
            shares = tuple(share * behaviour.paid_share for share in self.curve[key[0]])
            self._overdue[key] = (shares, self._median_day(shares))
        shares, median = self._overdue[key]
        return OVERDUE, shares, median

    def _delay_shares(self, due, behaviour):
        """Share of a line due on ``due`` paid in each week, given that it is not paid yet."""
        law = behaviour.law
        share = behaviour.paid_share
        age = days_past(due, self.today)
        unpaid = 1.0 - share * law.before(age)
        if unpaid <= EPSILON:
            return (0.0,) * self.weeks
        # each week's first day and the last one's end, in days past due; week 0 from today
        monday = age - self.today.weekday()
        paid = [law.before(day) for day in (age, *(monday + 7 * week for week in range(1, self.weeks + 1)))]
        return tuple(share * (paid[week + 1] - paid[week]) / unpaid for week in range(self.weeks))

    def _median_day(self, shares):
        """The first day of the week by which half the expected part is in; None if nothing is."""
        total = sum(shares)
        if total <= EPSILON:
            return None
        running = 0.0
        for week, share in enumerate(shares):
            running += share
            if running >= total / 2:
                return max(self.today, week_start(self.today) + timedelta(days=7 * week))
        return None  # unreachable: the running sum reaches the total

    def forecast(self, lines, promises=(), plans=()):
        """``[LineForecast]`` of ``lines`` (``OpenLine``), in their order.

        Invariants: the weeks of a line are never negative and never add up to more than its
        net open amount; lines apart, credits and lines their customer's credits cover have
        no weeks; the net amounts add up to the lines' amounts, customer by customer.
        """
        net = net_open_amounts((line.key, line.partner, line.due, line.amount) for line in lines)
        by_key = {line.key: line for line in lines}
        ordinary = {line.key for line in lines if not line.apart and net[line.key] > EPSILON}
        unallocated = {key: net[key] for key in ordinary}
        portions = defaultdict(list)  # key -> [(amount, date, rate, source)]

        def allocate(amount, keys, day, rate, source):
            for key in sorted((k for k in set(keys) if k in ordinary), key=lambda k: (by_key[k].due, k)):
                if amount <= EPSILON:
                    return
                take = min(amount, unallocated[key])
                if take > EPSILON:
                    portions[key].append((take, day, rate, source))
                    unallocated[key] -= take
                    amount -= take

        for promise in sorted(promises, key=lambda p: p.date):
            allocate(promise.amount, promise.keys, promise.date, self.promise_rate, PROMISE)
        for plan in plans:
            for day, amount in sorted(plan.instalments):
                allocate(amount, plan.keys, day, self.plan_rate, PLAN)

        result = []
        for line in lines:
            amount = net[line.key]
            if line.key not in ordinary:
                source = line.apart or (CREDIT if amount < -EPSILON else COVERED)
                result.append(LineForecast(line.key, source, amount, (0.0,) * self.weeks))
                continue
            weeks = [0.0] * self.weeks
            left = amount
            for portion, day, rate, _source in portions[line.key]:
                week = self.week_of(day)
                if week < self.weeks:
                    weeks[week] += portion * rate
                left -= portion * rate
            source, shares, expected = self.ordinary(line)
            for week, share in enumerate(shares):
                weeks[week] += left * share
            if portions[line.key]:
                source = portions[line.key][0][3]
                expected = max(min(day for _p, day, _r, _s in portions[line.key]), self.today)
            result.append(LineForecast(line.key, source, amount, _capped(weeks, amount), expected))
        return result


def _capped(weeks, amount):
    """``weeks`` scaled down when they add up to more than ``amount`` (a curve learnt on
    censored weeks may add up to a little more than 1)."""
    total = sum(weeks)
    if total > amount > 0:
        return tuple(week * amount / total for week in weeks)
    return tuple(weeks)


def round_weeks(weeks, amount, digits=2):
    """``weeks`` rounded to ``digits``, still adding up to no more than ``amount``."""
    if not any(weeks):
        return tuple(weeks)
    rounded = [round(week, digits) for week in weeks]
    excess = round(sum(rounded) - round(amount, digits), digits)
    while excess > 0:
        largest = max(range(len(rounded)), key=rounded.__getitem__)
        cut = min(excess, rounded[largest])
        rounded[largest] = round(rounded[largest] - cut, digits)
        excess = round(excess - cut, digits)
    return tuple(rounded)


# ---------------------------------------------------------------------- accuracy


def forecast_error(pairs):
    """``(mean absolute error, bias)`` of ``(forecast, actual)`` pairs, as shares of what was
    actually collected; None when nothing was.

    Mean absolute error: the sum of |forecast - actual| over the sum of actuals. Bias: the sum
    of (forecast - actual) over it: positive when the forecast promised more than came in.
    """
    pairs = list(pairs)
    collected = sum(actual for _forecast, actual in pairs)
    if collected <= EPSILON:
        return None
    absolute = sum(abs(forecast - actual) for forecast, actual in pairs)
    signed = sum(forecast - actual for forecast, actual in pairs)
    return absolute / collected, signed / collected
