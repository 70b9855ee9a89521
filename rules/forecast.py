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
4. **Behaviour.** Until its expected date (due date plus the customer's amount-weighted average
   delay), a line is paid on a day drawn from a normal law of the customer's delay (its mean
   and spread), given that it is not paid yet, times the share of what the customer owes that
   it pays at all (what it paid of its invoices due in the window, against what its delay says
   should have come in by now). The customer's own delay needs ``MIN_HISTORY`` invoices paid in
   the window, else the company's is used.
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

from .analytics import net_open_amounts
from .dates import days_past, week_index, week_start

#: Horizon of the forecast, in weeks (week 0 is the current week).
FORECAST_WEEKS = 13
#: Invoices paid in the window a customer needs for its own delay and spread.
MIN_HISTORY = 3
#: Narrowest spread of a delay, in days (a customer who always paid on the same day).
MIN_SPREAD = 1.0
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


# ---------------------------------------------------------------------- calendar






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
    """How a customer pays: mean and spread of its delay (days from due date to payment,
    negative when early), and the share of what it owes that it pays at all (``behaviours``).
    ``own``: its delay is from its own history, not the company's."""

    delay: float = 0.0
    spread: float = MIN_SPREAD
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

    Delay: amount-weighted mean and standard deviation of (payment date - due date) of the
    payments made in the window; a customer with fewer than ``MIN_HISTORY`` lines paid takes
    the company's. Collected share: of the lines due in the window, net of what was credited,
    what was collected by ``today`` against what the delay says should have been by then
    (each line's amount times the probability of a payment by its age); it tells a customer
    who pays late from one who does not pay. Each line weighs the cube of the probability
    that it should be paid by now (a line near its expected date, paid or not by chance, says
    little), and the company's share weighs as ``SHARE_PRIOR`` lines.
    """
    delays = defaultdict(lambda: [0.0, 0.0, 0.0, 0])  # amount, amount x delay, amount x delay², lines
    due_lines = defaultdict(list)  # partner -> [(due, basis, collected)]
    for line in history:
        paid = [(day, amount) for day, amount in line.collections if start <= day <= today]
        if paid:
            sums = delays[line.partner]
            for day, amount in paid:
                delay = days_past(line.due, day)
                sums[0] += amount
                sums[1] += amount * delay
                sums[2] += amount * delay * delay
            sums[3] += 1
        if start <= line.due <= today:
            basis = line.amount - sum(amount for _day, amount in line.settlements)
            if basis > EPSILON:
                collected = sum(amount for day, amount in line.collections if day <= today)
                due_lines[line.partner].append((line.due, basis, min(collected, basis)))

    def delay_and_spread(amount, weighted, squared):
        mean = weighted / amount
        return mean, max(math.sqrt(max(squared / amount - mean * mean, 0.0)), MIN_SPREAD)

    total = [sum(sums[i] for sums in delays.values()) for i in range(3)]
    company_delay, company_spread = delay_and_spread(*total) if total[0] > EPSILON else (0.0, MIN_SPREAD)
    timing = {}
    for partner in set(delays) | set(due_lines):
        sums = delays.get(partner)
        own = bool(sums) and sums[3] >= MIN_HISTORY
        timing[partner] = (*(delay_and_spread(*sums[:3]) if own else (company_delay, company_spread)), own)

    evidence = {}  # partner -> (collected, expected by now, weight), each line weighed by_now³
    for partner, rows in due_lines.items():
        delay, spread, _own = timing[partner]
        collected = expected = weight = 0.0
        for due, basis, paid in rows:
            by_now = _normal_cdf((days_past(due, today) - 0.5 - delay) / spread)
            collected += paid * by_now**3
            expected += basis * by_now**4
            weight += by_now**3
        evidence[partner] = (collected, expected, weight)
    expected_total = sum(expected for _c, expected, _w in evidence.values())
    company_share = (
        sum(collected for collected, _e, _w in evidence.values()) / expected_total
        if expected_total > EPSILON
        else 1.0
    )
    company = Behaviour(company_delay, company_spread, company_share)

    partners = {}
    for partner, (delay, spread, own) in timing.items():
        share = company_share
        collected, expected, weight = evidence.get(partner, (0.0, 0.0, 0.0))
        if expected > EPSILON:
            share = (weight * collected / expected + SHARE_PRIOR * company_share) / (weight + SHARE_PRIOR)
        partners[partner] = Behaviour(delay, spread, share, own)
    return company, partners


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


def _normal_cdf(x):
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


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
        mean = (due - self.today).days + behaviour.delay  # in days from today
        spread = behaviour.spread
        share = behaviour.paid_share

        def before(day):  # probability of a payment before day offset ``day`` (exclusive)
            return share * _normal_cdf((day - 0.5 - mean) / spread)

        unpaid = 1.0 - before(0)
        if unpaid <= EPSILON:
            return (0.0,) * self.weeks
        first = -self.today.weekday()
        shares = []
        for week in range(self.weeks):
            start = max(first + 7 * week, 0)
            shares.append((before(first + 7 * week + 7) - before(start)) / unpaid)
        return tuple(shares)

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
